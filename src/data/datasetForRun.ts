// Which prepared data an experiment uses, the same for `run`, `sweep`, `plan`, `data vocab` and the results tools (and
// what `check` counts, since it reads the files in place): the dataset folder under the data root as it is, whatever
// parameters it was prepared with (`lavisc data prepare shapes --seed 7`); made with the default parameters only when
// there is none. A folder written by another version of its generator is never replaced by a run: the run stops and
// says how to prepare it again.
import { join } from "node:path";
import { DataError } from "../runtime/data/dataError.js";
import { generatorOf, type GeneratorOptions } from "./generators.js";
import { readLaviscManifest, type DatasetManifest, type PreparedDataset } from "./preparedDataset.js";

export type BuiltinDataState =
  /** Prepared (by `data prepare` or an earlier run): used as it is, with the parameters its manifest records. */
  | { readonly kind: "prepared"; readonly folder: string; readonly manifest: DatasetManifest }
  /** Not prepared yet: the run prepares it with these (default) parameters. */
  | { readonly kind: "absent"; readonly folder: string; readonly params: Record<string, unknown> }
  /** Prepared by another version of the generator: the run stops (`message` says what to do). */
  | { readonly kind: "other-version"; readonly folder: string; readonly manifest: DatasetManifest; readonly message: string };

/** What a run would find for the built-in dataset `name` under the data root `dataRoot`; reads, never writes. */
export function builtinDataState(name: string, dataRoot: string): BuiltinDataState {
  const generator = generatorOf(name);
  const folder = join(dataRoot, name);
  const manifest = readLaviscManifest(folder);
  if (!manifest || manifest.name !== name) return { kind: "absent", folder, params: generator.params({}) };
  if (manifest.generatorVersion === generator.version) return { kind: "prepared", folder, manifest };
  const message = `${folder} was prepared by version ${manifest.generatorVersion} of the ${name} generator (${dataParamsText(manifest.params)}), ` +
    `and this lavisc's is version ${generator.version}, which writes other files: a run does not replace prepared data; ` +
    `prepare it again with \`${prepareCommandFor(name, manifest.params, dataRoot)}\` (it replaces only the files lavisc wrote there), ` +
    "or point --data-root (or $LAVISC_DATA) at another folder";
  return { kind: "other-version", folder, manifest, message };
}

/**
 * The built-in dataset a run reads: the prepared folder with the parameters it was prepared with (its files made
 * again, with those parameters, when some are missing), or a new one with the defaults. DataError "stale-dataset" for a
 * folder of another generator version.
 */
export function datasetForRun(name: string, dataRoot: string): PreparedDataset {
  const state = builtinDataState(name, dataRoot);
  if (state.kind === "other-version") throw new DataError("stale-dataset", state.message, state.folder);
  const params = state.kind === "prepared" ? state.manifest.params : state.params;
  return generatorOf(name).prepare(dataRoot, params as GeneratorOptions);
}

/** The parameters as a reader sees them: `seed 7, counts train 640 / val 100 / test 100, imageSize 64`. */
export function dataParamsText(params: Record<string, unknown>): string {
  const value = (v: unknown): string =>
    v !== null && typeof v === "object" ? Object.entries(v).map(([k, x]) => `${k} ${value(x)}`).join(" / ") : String(v);
  return Object.entries(params).map(([k, v]) => `${k} ${value(v)}`).join(", ");
}

/** The `lavisc data prepare` command that makes the dataset again with its seed (the one parameter the command sets). */
export function prepareCommandFor(name: string, params: Record<string, unknown>, dataRoot: string): string {
  const seed = typeof params["seed"] === "number" && params["seed"] !== 0 ? ` --seed ${params["seed"]}` : "";
  return `lavisc data prepare ${name}${seed} --root ${JSON.stringify(dataRoot)}`;
}
