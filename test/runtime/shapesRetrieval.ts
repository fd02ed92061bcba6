// A small built-in "shapes" retrieval dataset (generated images and captions) as a DatasetSpec, for runtime tests
// that go through the real data module.
import { join } from "node:path";
import { prepareShapes } from "../../src/data/shapes.js";
import { builtinDatasetSpec } from "../../src/data/datasetSpec.js";
import type { PreparedDataset } from "../../src/data/preparedDataset.js";
import type { DatasetSpec } from "../../src/runtime/runSpec.js";

export function shapesRetrieval(dir: string, seed: number, counts: { train: number; val: number; test: number }): { prepared: PreparedDataset; dataset: DatasetSpec } {
  const prepared = prepareShapes(join(dir, "data"), { seed, counts, imageSize: 32 });
  const dataset = builtinDatasetSpec(prepared, {
    format: "retrieval",
    visProcessor: { train: { name: "blip_image_train", params: { image_size: 16 } }, eval: { name: "blip_image_eval", params: { image_size: 16 } } },
    textProcessor: { train: { name: "blip_caption", params: {} }, eval: { name: "blip_caption", params: {} } },
  });
  return { prepared, dataset };
}
