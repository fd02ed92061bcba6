// The files a run writes in its folder (<output_dir>/<job_id>/), named once: the runtime and the report writer write
// them under these names, and `lavisc plan` lists them from here (compiler/planOutputs.ts).
import type { DatasetSpec, EvaluationNames } from "../runSpec.js";

/** The config, then a line per epoch and per validation (LAVIS's runner). */
export const LOG_FILE = "log.txt";
/** A line per evaluation (LAVIS's tasks). */
export const EVALUATE_FILE = "evaluate.txt";
/** lavisc's self-contained report of the run, rewritten at every change (report/reportWriter.ts). */
export const REPORT_FILE = "report.html";
/** The tasks' result files (stdlib `result_files`) and lavisc's ranks and features. */
export const RESULT_FOLDER = "result";
/** The checkpoint a stop request (SIGINT, SIGTERM) writes, to resume from. */
export const INTERRUPTED_CHECKPOINT = "checkpoint_interrupted";

/** Where an evaluation happens, for the runner's `evaluation_names` templates (RunSpec.evaluationNames). */
export interface EvaluationPlace {
  /** The loop's (inner) epoch. */
  readonly epoch: number | string;
  /** Training iterations done at its end (RunnerIter's end_iters). */
  readonly iters: number | string;
  /** Passes over the training data the train loader has finished (LAVIS's `train_loader.epoch`). */
  readonly loaderEpoch: number | string;
}

/**
 * The name a runner gives an evaluation (what it passes to after_evaluation as `epoch`, e.g. RunnerIter's
 * "0_iters=10"): `template` with `{epoch}`, `{iters}` and `{loader_epoch}` filled in; `lavisc plan` fills them with
 * placeholders (`<iters>`), the run with numbers.
 */
export function evaluationName(template: string, at: EvaluationPlace): string {
  return template.replaceAll("{epoch}", String(at.epoch)).replaceAll("{iters}", String(at.iters)).replaceAll("{loader_epoch}", String(at.loaderEpoch));
}

/** Whether the runner's names hold the train loader's epoch (`{loader_epoch}`: RunnerIter's). */
export function namesLoaderEpoch(names: Pick<EvaluationNames, "validation" | "testLast">): boolean {
  return [names.validation, names.testLast].some((t) => t.includes("{loader_epoch}"));
}

/**
 * What a resumed run's names count the train loader's epoch from, for the run's log and plan: null when the names
 * hold no loader epoch or the runner's loader keeps counting from the run's start.
 */
export function loaderEpochAfterResume(names: Pick<EvaluationNames, "validation" | "testLast" | "loaderRestartsOnResume">, startIters: number): string | null {
  if (!namesLoaderEpoch(names) || !names.loaderRestartsOnResume) return null;
  return `the train loader's epoch in the result names counts the passes over the training data from this resume (iteration ${startIters}), not from the run's start: the runner builds a new train loader when it resumes, whose epoch starts at 0 (LAVIS's RunnerIter and IterLoader)`;
}

/**
 * What the runner's best validation is counted in, for messages: its log.txt key without `best_` (RunnerBase's
 * `best_epoch` → "epoch", RunnerIter's `best_iters` → "iters"; stdlib `evaluation_names.best_key`).
 */
export function bestCountedIn(names: Pick<EvaluationNames, "bestKey">): string {
  return names.bestKey.replace(/^best_/, "");
}

/** lavisc's per-query ranks of a retrieval-scored split (LAVIS writes none): intervals over test items need them. */
export const ranksFile = (split: string): string => `${split}_ranks.json`;

/**
 * Whether evaluating a split writes its ranks file: every retrieval evaluation (train/evaluation.ts), and
 * feature_extraction on a retrieval split, which it scores as zero-shot retrieval (models/blipFeatureExtraction.ts).
 */
export function writesRanks(task: string, format: DatasetSpec["format"] | undefined): boolean {
  return task === "retrieval" || (task === "feature_extraction" && format === "retrieval");
}
