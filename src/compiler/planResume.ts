// `lavisc plan` of a resumed run (`run.resume_ckpt_path`): the checkpoint's JSON half only (its epoch, or where a stop
// interrupted an epoch; no tensors are read), found as the runtime finds it (runtime/checkpoint/checkpointLocation.ts)
// and continued from where the run continues (runtime/checkpoint/resumeStart.ts, the run's own formula), so that plan counts the steps, learning rates and checkpoints from where the run continues. A checkpoint the run
// could not resume from is LV5017.
import { resolve } from "node:path";
import type { RunSpec } from "../runtime/runSpec.js";
import { loadCheckpointMeta } from "../runtime/checkpoint/checkpoint.js";
import { locateCheckpoint } from "../runtime/checkpoint/checkpointLocation.js";
import { resumeStart } from "../runtime/checkpoint/resumeStart.js";
import { diag } from "../diagnostics/diagnostic.js";

export interface ResumePlan {
  /** As written in the config. */
  readonly path: string;
  /** The first (inner) epoch the run trains, and the steps of it a stop had already done. */
  readonly startEpoch: number;
  readonly skipSteps: number;
  /** The checkpoint in words: "epoch 0 done", "stopped in epoch 2 at step 7"; null with an error. */
  readonly done: string | null;
  readonly error: { readonly code: string; readonly message: string; readonly hint: string } | null;
}

/** Null when the run does not resume (no resume_ckpt_path, or evaluate-only, which the runtime does not resume). */
export function planResume(run: RunSpec, cwd: string): ResumePlan | null {
  const path = run.resumeCkptPath;
  if (!path || run.evaluate) return null;
  const failed = (problem: string): ResumePlan => {
    const d = diag("LV5017", null, { problem });
    return { path, startEpoch: 0, skipSteps: 0, done: null, error: { code: d.code, message: d.message, hint: d.hint ?? "" } };
  };
  const at = locateCheckpoint(resolve(cwd, path));
  if ("error" in at) return failed(at.error);
  if (at.kind === "weights") return failed(`${path} has no .json half; a bare weights file cannot resume training`);
  const meta = loadCheckpointMeta(at.jsonPath);
  if (typeof meta === "string") return failed(meta);
  const start = resumeStart(meta);
  const unit = run.runner === "runner_iter" ? "inner epoch" : "epoch";
  const done = meta.partial
    ? `stopped in ${unit} ${meta.partial.epoch} at step ${meta.partial.step}`
    : `${unit} ${meta.epoch} done${meta.iters !== null ? `, ${meta.iters} iterations` : ""}`;
  return { path, startEpoch: start.epoch, skipSteps: start.skipSteps, done, error: null };
}
