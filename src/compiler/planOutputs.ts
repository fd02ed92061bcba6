// `lavisc plan`'s "writes": every file a run writes in its folder, by the names the runtime writes them under
// (runtime/train/runFiles.ts), the checkpoints by the runner's cadence (planStorage.ts) and the result files by the
// task's stdlib `result_files`, with `{split}` and `{epoch}` as the run fills them in.
import type { Graph } from "./graph.js";
import { checkpointFileCount, keepsBestCheckpoint } from "./planStorage.js";
import { EVALUATE_FILE, evaluationName, INTERRUPTED_CHECKPOINT, LOG_FILE, ranksFile, REPORT_FILE, RESULT_FOLDER, writesRanks } from "../runtime/train/runFiles.js";
import type { RunSpec } from "../runtime/runSpec.js";

/** The run folder (`<output_dir>/<job_id>`) and the files in it; `fromEpoch`: the first epoch a resumed run trains. */
export function planOutputs(graph: Graph, fromEpoch = 0): { jobDir: string; files: string[] } {
  const run = graph.run;
  const jobDir = `${run.outputDir}/<job_id>`;
  const files = [`${jobDir}/${LOG_FILE}`, `${jobDir}/${REPORT_FILE}`];
  const evalSteps = graph.nodes.filter((n) => n.kind === "eval_step");
  if (evalSteps.some((s) => (s.attrs["metrics"] as string[]).length)) files.push(`${jobDir}/${EVALUATE_FILE}`);
  if (!run.evaluate) {
    const ckpt = (name: string) => `${jobDir}/${name}.json + ${name}.<sha256 prefix>.safetensors`;
    const best = keepsBestCheckpoint(run);
    if (checkpointFileCount(run, fromEpoch) > (best ? 1 : 0)) files.push(ckpt(run.runner === "runner_iter" ? "checkpoint_<iters>" : "checkpoint_<epoch>"));
    if (best) files.push(ckpt("checkpoint_best"));
    files.push(`${ckpt(INTERRUPTED_CHECKPOINT)} (only when stopped by SIGINT or SIGTERM, to resume from)`);
  }
  const resultFiles = (graph.nodes.find((n) => n.kind === "result_files")?.attrs["files"] as string[] | undefined) ?? [];
  for (const step of evalSteps) {
    const split = String(step.attrs["split"]);
    const epoch = evaluationLabel(run, step.attrs["role"] === "valid");
    for (const f of resultFiles) files.push(`${jobDir}/${RESULT_FOLDER}/${f.replaceAll("{split}", split).replaceAll("{epoch}", epoch)}`);
    const format = run.datasets.find((d) => d.splits.some((s) => s.split === split))?.format;
    if (writesRanks(run.task, format)) files.push(`${jobDir}/${RESULT_FOLDER}/${ranksFile(split)}`);
  }
  return { jobDir, files: [...new Set(files)] };
}

/**
 * What fills a result file's `{epoch}`: the name the runner gives the evaluation (its stdlib `evaluation_names`, as the
 * run fills them in: runtime/train/epochLoop.ts, runExperiment.ts), with what only the run knows as a placeholder
 * (`<epoch>`, `<iters>`, `<loader_epoch>`). A validation is named after its (inner) epoch (RunnerIter:
 * `<loader_epoch>_iters=<iters>`); the test phase "best" (the best checkpoint, and every evaluation-only run) or,
 * without a best checkpoint or with a runner that tests the last weights (runner_iter), the runner's name of the end.
 */
function evaluationLabel(run: RunSpec, validation: boolean): string {
  if (validation) return evaluationName(run.evaluationNames.validation, { epoch: "<epoch>", iters: "<iters>", loaderEpoch: "<loader_epoch>" });
  const testsBest = keepsBestCheckpoint(run) && run.testWeights !== "last";
  if (run.evaluate || testsBest) return "best";
  const last = Math.max(0, Math.ceil(run.maxEpoch) - 1);
  const iters = run.itersPerInnerEpoch ? (last + 1) * run.itersPerInnerEpoch : "<iters>";
  return evaluationName(run.evaluationNames.testLast, { epoch: last, iters, loaderEpoch: "<loader_epoch>" });
}
