// Local annotation files for the rules that read split sizes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Writes Karpathy-style retrieval annotations: train = one record per caption, eval = one record per image. */
export function writeRetrievalSplits(sizes: { train: number; val: number; test: number }, captionsPerImage = 2): string {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-graph-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const image = (split: string, i: number) => `${split}/${i}.png`;
  const captions = (i: number) => Array.from({ length: captionsPerImage }, (_, c) => `shape ${i} caption ${c}`);
  const train = Array.from({ length: sizes.train }, (_, i) => ({ image: image("train", i), caption: `shape ${i}`, image_id: `train${i}` }));
  writeFileSync(join(dir, "train.json"), JSON.stringify(train));
  for (const split of ["val", "test"] as const) {
    writeFileSync(join(dir, `${split}.json`), JSON.stringify(Array.from({ length: sizes[split] }, (_, i) => ({ image: image(split, i), caption: captions(i) }))));
  }
  return dir;
}
