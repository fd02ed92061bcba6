// results/<project>.json: one project's reproducible result. Everything the README's table shows is in it, with the
// command that made it, the code it ran (commit), the machine's load, and how its settings were selected.
import type { Baseline } from "./baselines.js";
import type { Interval } from "./intervals.js";

export const RESULT_SCHEMA = 1;

export interface ProjectResult {
  readonly schema: typeof RESULT_SCHEMA;
  /** The project file, relative to the repository. */
  readonly project: string;
  /** The table's "task, model" cell. */
  readonly description: string;
  readonly command: string;
  readonly commit: string | null;
  readonly date: string;
  readonly seed: number;
  readonly backend: string | null;
  readonly wallSeconds: number;
  readonly load: { readonly before: number; readonly after: number; readonly cores: number };
  /** sha256 of what decides the run (the lowered run spec and the built-in data's generator): a result with the same digest is up to date. */
  readonly inputsDigest: string;
  readonly runDir: string;
  readonly test: {
    readonly split: string;
    readonly metric: string;
    readonly value: number;
    readonly interval: Interval;
    readonly items: number;
    /** Every metric the run logged for the split. */
    readonly logged: Readonly<Record<string, number>>;
  };
  readonly baselines: readonly Baseline[];
  /** The validation that chose the tested weights: in this run, or in the run whose checkpoint an evaluation-only project loads. */
  readonly validation: { readonly split: string; readonly metric: string; readonly value: number; readonly epoch: number; readonly source: string } | null;
  /** How the settings were selected (and where the record of a search is). */
  readonly selection: string;
  /** Evaluation-only projects: the weights they loaded. */
  readonly weights?: { readonly path: string; readonly sha256: string | null };
}

/** One entry of results/projects.json: a row of the README's table. */
export interface ProjectEntry {
  readonly project: string;
  readonly description: string;
  readonly selection: string;
  /** Extra logged metrics shown next to the headline one (e.g. txt_r10). */
  readonly show?: readonly string[];
}

/** results/<name>.json for projects/<name>.lv. */
export function resultName(project: string): string {
  return project.replace(/^projects\//, "").replace(/\.(lv|ya?ml)$/, "");
}
