// Where a resumed run continues, decided from a checkpoint's JSON half alone: the one formula the run
// (train/checkpointing.ts's restoreTraining) and `lavisc plan` (compiler/planResume.ts, which must not load tfjs)
// both use. It holds for both runners, as `epoch` is the last finished epoch of runner_base and the last finished
// inner epoch of runner_iter: the run continues as the uninterrupted one would (LAVIS's RunnerIter instead restarts
// at `iters + 1`, src/runtime/README.md).
import type { CheckpointMeta } from "./checkpoint.js";

/** Where training continues after a resume: the (inner) epoch, the steps of it already done, their running sums. */
export interface StartPosition {
  readonly epoch: number;
  readonly skipSteps: number;
  /** The interrupted epoch's running loss and lr sums (null: the epoch starts afresh). */
  readonly meters: NonNullable<CheckpointMeta["partial"]>["meters"] | null;
}

/**
 * Inside the epoch a stop request interrupted (`partial`), skipping the steps it had done and keeping their sums, or
 * at the epoch after the checkpoint's.
 */
export function resumeStart(meta: Pick<CheckpointMeta, "epoch" | "partial">): StartPosition {
  return meta.partial
    ? { epoch: meta.partial.epoch, skipSteps: meta.partial.step, meters: meta.partial.meters }
    : { epoch: meta.epoch + 1, skipSteps: 0, meters: null };
}
