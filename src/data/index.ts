// Entry point for `lavisc data prepare <name>`: the built-in datasets and where they go by default.
import { homedir } from "node:os";
import { join } from "node:path";
import { DataError } from "../runtime/data/dataError.js";
import { prepareFashionMnist, type FashionMnistOptions } from "./fashionMnist.js";
import type { PreparedDataset } from "./preparedDataset.js";
import { prepareShapes, type ShapesOptions } from "./shapes.js";

export type { DatasetManifest, PreparedDataset } from "./preparedDataset.js";
export { builtinDatasetSpec } from "./datasetSpec.js";
export { fashionMnistUnavailable } from "./fashionMnist.js";
export { DataError } from "../runtime/data/dataError.js";

export const BUILTIN_DATASETS = ["shapes", "fashion-mnist"] as const;
export type BuiltinDatasetName = (typeof BUILTIN_DATASETS)[number];

export type PrepareOptions = { readonly root: string } & ShapesOptions & FashionMnistOptions;

/** `$LAVISC_DATA`, else ~/.cache/lavisc/data. */
export function defaultDataRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env["LAVISC_DATA"] || join(homedir(), ".cache", "lavisc", "data");
}

/** Prepares (or reuses) a built-in dataset under `<root>/<name>`. Throws DataError (a user problem) for an unknown name or missing source data. */
export function prepareDataset(name: string, options: PrepareOptions): PreparedDataset {
  switch (name) {
    case "shapes": return prepareShapes(options.root, options);
    case "fashion-mnist": return prepareFashionMnist(options.root, options);
    default: throw new DataError("unsupported", `unknown built-in dataset "${name}" (known: ${BUILTIN_DATASETS.join(", ")})`);
  }
}
