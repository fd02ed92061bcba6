// Entry point for `lavisc data prepare <name>`: the built-in datasets and where they go by default.
import { homedir } from "node:os";
import { join } from "node:path";
import { generatorOf, type GeneratorOptions } from "./generators.js";
import type { PreparedDataset } from "./preparedDataset.js";

export type { DatasetManifest, PreparedDataset } from "./preparedDataset.js";
export { builtinDatasetSpec } from "./datasetSpec.js";
export { builtinDataState, dataParamsText, datasetForRun, prepareCommandFor, type BuiltinDataState } from "./datasetForRun.js";
export { fashionMnistUnavailable } from "./fashionMnist.js";
export { DataError } from "../runtime/data/dataError.js";

export const BUILTIN_DATASETS = ["shapes", "fashion-mnist"] as const;
export type BuiltinDatasetName = (typeof BUILTIN_DATASETS)[number];

export type PrepareOptions = { readonly root: string } & GeneratorOptions;

/** `$LAVISC_DATA`, else ~/.cache/lavisc/data. */
export function defaultDataRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env["LAVISC_DATA"] || join(homedir(), ".cache", "lavisc", "data");
}

/**
 * Prepares (or reuses) a built-in dataset under `<root>/<name>` with exactly these parameters (the defaults for those
 * not given). Throws DataError (a user problem) for an unknown name, missing source data, or files lavisc did not write
 * in the way ("refused-write", unless `force`). What a run uses is `datasetForRun` (datasetForRun.ts).
 */
export function prepareDataset(name: string, options: PrepareOptions): PreparedDataset {
  return generatorOf(name).prepare(options.root, options);
}
