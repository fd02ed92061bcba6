// Counts the records of local annotation files, so the graph checks and the plan can use real split sizes.
// Only files that exist locally are read (never downloaded); anything unreadable gives null ("unknown"). Counted from
// the files themselves once, then remembered (annotationStatsCache.ts).
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { cacheDir } from "../runtime/data/cache.js";
import { defaultDataRoot } from "../data/index.js";
import type { DatasetSpec } from "../runtime/runSpec.js";
import { rememberedSplitStats } from "./annotationStatsCache.js";

export interface SplitStats {
  /** Records the dataset serves for this split (sum over its annotation files). */
  readonly records: number;
  /** Distinct images, and texts (caption lists of eval records counted out), when the records say so. */
  readonly images: number;
  readonly texts: number;
  readonly files: readonly string[];
}

export type FileReader = (path: string) => string | null;

export const readLocalFile: FileReader = (path) => {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ? readFileSync(path, "utf8") : null;
  } catch {
    return null;
  }
};

/**
 * Where a `storage` path lives: absolute, or under the dataset's storage root; when absent, the data root for built-in
 * datasets and lavisc's download cache (LAVIS's cache_root) for the others.
 */
export function storagePath(ds: Pick<DatasetSpec, "storageRoot" | "prepare">, storage: string, env: NodeJS.ProcessEnv = process.env): string {
  return isAbsolute(storage) ? storage : join(storageRootOf(ds, env), storage);
}

/** The folder a dataset's relative `storage` paths live in, and the only one a run downloads annotations into. */
export function storageRootOf(ds: Pick<DatasetSpec, "storageRoot" | "prepare">, env: NodeJS.ProcessEnv = process.env): string {
  return ds.storageRoot ?? (ds.prepare ? defaultDataRoot(env) : cacheDir(env));
}

/**
 * Sizes of one split from its first annotation file list (VQA eval splits list extra files after the records: answer
 * list, COCO question/annotation files — only files holding a JSON list of records are counted). null when unknown.
 */
export function splitStats(ds: Pick<DatasetSpec, "splits" | "storageRoot" | "prepare">, split: string, read: FileReader = readLocalFile): SplitStats | null {
  const src = ds.splits.find((s) => s.split === split);
  if (!src || !src.annotations.length) return null;
  const paths = src.annotations.map((a) => storagePath(ds, a.storage));
  // Files on disk are counted once and remembered (annotationStatsCache.ts); another reader (a test's) is read each time.
  return read === readLocalFile ? rememberedSplitStats(paths, () => countRecords(paths, read)) : countRecords(paths, read);
}

/** The sizes of a split whose annotation files are `paths`, in order, read with `read`. */
function countRecords(paths: readonly string[], read: FileReader): SplitStats | null {
  let records = 0, texts = 0;
  const images = new Set<string>();
  const files: string[] = [];
  for (const path of paths) {
    const text = read(path);
    if (text === null) return null;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return null;
    }
    if (!Array.isArray(data)) {
      if (files.length) continue; // answer lists and COCO-format files after the records
      return null;
    }
    if (files.length && data.every((x) => typeof x === "string")) continue; // an answer list
    files.push(path);
    for (const r of data) {
      records++;
      const rec = r as Record<string, unknown>;
      if (typeof rec?.["image"] === "string") images.add(rec["image"]);
      const cap = rec?.["caption"];
      texts += Array.isArray(cap) ? cap.length : typeof cap === "string" ? 1 : 0;
    }
  }
  return { records, images: images.size, texts, files };
}
