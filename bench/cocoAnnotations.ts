// COCO-size caption annotations for the benchmarks, generated: LAVIS's coco_karpathy_{train,val,test}.json at their
// real record counts (566,747 training captions, ~80 MB of JSON; 5,000 validation and 5,000 test images with five
// captions each) under `coco/annotations/` of a cache folder. What a LAVIS user's cache holds after one COCO caption
// or retrieval run, and what lavisc's split-size rules count (src/compiler/annotationStats.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const TRAIN_CAPTIONS = 566_747;
const TRAIN_IMAGES = 113_287;
const EVAL_IMAGES = 5_000;

const imageName = (i: number) => `val2014/COCO_val2014_${String(i).padStart(12, "0")}.jpg`;

/** Writes the three files under `<cacheRoot>/coco/annotations/`; returns the training file's size in bytes. */
export function writeCocoSizeAnnotations(cacheRoot: string): number {
  const dir = join(cacheRoot, "coco", "annotations");
  mkdirSync(dir, { recursive: true });
  const train = Array.from({ length: TRAIN_CAPTIONS }, (_, i) => ({ caption: `a person riding a wave on top of a surfboard ${i}`, image: imageName(i % TRAIN_IMAGES), image_id: `coco_${i % TRAIN_IMAGES}` }));
  const trainText = JSON.stringify(train);
  writeFileSync(join(dir, "coco_karpathy_train.json"), trainText);
  for (const split of ["val", "test"]) {
    const records = Array.from({ length: EVAL_IMAGES }, (_, i) => ({ image: imageName(i), caption: Array.from({ length: 5 }, (_, k) => `caption ${k} of image ${i}`) }));
    writeFileSync(join(dir, `coco_karpathy_${split}.json`), JSON.stringify(records));
  }
  return Buffer.byteLength(trainText);
}
