// Whether rank 0 has files to download before training (weights named by URL and not cached yet, training
// annotations with a url and no file): then the replica threads, started early, wait for rank 0's model before
// building theirs, so that the files are fetched once and not once per thread.
import { existsSync } from "node:fs";
import type { RunSpec } from "../runSpec.js";
import { annotationAction, cacheDir, resolveStorage, weightsCachePath } from "../data/cache.js";
import { trainingSplits } from "../train/vocabulary.js";

export function downloadsFirst(spec: RunSpec): boolean {
  return weightsToFetch(spec.model.loadWeights) || trainingSplits(spec).some(({ dataset, split }) =>
    dataset.splits.filter((s) => s.split === split).some((s) => s.annotations.some((src) =>
      annotationAction(dataset.storageRoot ?? cacheDir(), src, resolveStorage(dataset, src.storage)).kind === "download")));
}

function weightsToFetch(location: string | null): boolean {
  if (!location || !/^(https?|file):/i.test(location)) return false;
  try {
    const cached = weightsCachePath(location);
    return cached !== null && !existsSync(cached);
  } catch {
    return false; // a URL the loader refuses: rank 0 reports it
  }
}
