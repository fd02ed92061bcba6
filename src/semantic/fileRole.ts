import type { CMap } from "./configTree.js";

// What a LAVIS YAML file is, read from its top-level sections. LAVIS-family repositories hold more than projects:
// each builder's and model's default files are fragments of an experiment, and lavisc checks each file in its role.

export type FileRole =
  /** A project file (`train.py --cfg-path`): model, datasets and a run recipe. */
  | "project"
  /** A project whose `run:` names only the task: the config of a demo or inference script, which trains nothing. */
  | "inference"
  /** A builder's default config: only `datasets:` (a builder's `DATASET_CONFIG_DICT` names it). */
  | "dataset-defaults"
  /** A model type's default config: only `model:` and `preprocess:` (an arch's `PRETRAINED_MODEL_CONFIG_DICT` names it). */
  | "model-defaults"
  /** The package's runtime defaults (`configs/default.yaml`): only `env:`. */
  | "runtime-defaults"
  /** A YAML file with none of LAVIS's sections (a conda environment, a CI workflow). */
  | "not-lavis";

const LAVIS_SECTIONS = new Set(["model", "datasets", "run", "preprocess", "env"]);

export function fileRole(root: CMap): FileRole {
  const keys = [...root.entries.keys()];
  const has = (k: string) => root.entries.has(k);
  if (!keys.some((k) => LAVIS_SECTIONS.has(k))) return keys.length ? "not-lavis" : "project";
  const only = (...allowed: string[]) => keys.every((k) => allowed.includes(k));
  if (has("run")) {
    const run = root.entries.get("run");
    const onlyTask = run?.kind === "map" && run.entries.size === 1 && run.entries.has("task");
    return onlyTask && has("model") ? "inference" : "project";
  }
  if (has("datasets") && only("datasets")) return "dataset-defaults";
  if (has("model") && only("model", "preprocess")) return "model-defaults";
  if (has("env") && only("env")) return "runtime-defaults";
  return "project";
}

/** Words for summaries and messages. */
export const ROLE_NAMES: Readonly<Record<FileRole, string>> = {
  project: "project",
  inference: "inference config",
  "dataset-defaults": "dataset default",
  "model-defaults": "model default",
  "runtime-defaults": "runtime defaults",
  "not-lavis": "not a LAVIS config",
};

/** Fragments are checked for what they hold, without the requirements of a whole experiment. */
export function isFragment(role: FileRole): boolean {
  return role === "dataset-defaults" || role === "model-defaults" || role === "runtime-defaults";
}

/**
 * What a file that is not a project is, and what to give instead, for a command that needs a whole experiment to
 * run (`plan`, `graph`, `run`: LV2049). `{file}` in `instead` is the file's name.
 */
export const NOT_A_PROJECT: Readonly<Record<Exclude<FileRole, "project">, { readonly is: string; readonly instead: string }>> = {
  inference: {
    is: "an inference config (its `run` names only the task)",
    instead: "A demo or inference script reads it and trains nothing. Give a project file (`model`, `datasets` and a `run` with the recipe), or see its values with `lavisc explain {file}`.",
  },
  "dataset-defaults": {
    is: "a dataset builder's default config (only `datasets`)",
    instead: "LAVIS merges it into a project that names the builder under `datasets`. Give that project, or see this file's values with `lavisc explain {file}`.",
  },
  "model-defaults": {
    is: "a model type's default config (only `model` and `preprocess`)",
    instead: "LAVIS merges it into a project whose `model` names its arch and model type. Give that project (with `datasets` and `run`), or see this file's values with `lavisc explain {file}`.",
  },
  "runtime-defaults": {
    is: "LAVIS's runtime defaults (only `env`)",
    instead: "LAVIS reads it with every project. Give a project file (`model`, `datasets` and `run`).",
  },
  "not-lavis": {
    is: "YAML that is not a LAVIS config (none of the sections `model`, `datasets` and `run`)",
    instead: "Give a LAVIS project file (`model`, `datasets` and `run`), or an `.lv` experiment.",
  },
};
