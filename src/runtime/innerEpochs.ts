// RunnerIter's inner epochs (lavis/runners/runner_iter.py). RunnerIter.train loops
// `for start_iters in range(self.start_iters, self.max_iters, self.iters_per_inner_epoch)` and each pass runs
// iters_per_inner_epoch iterations in full (BaseTask.train_iters → _train_inner_loop, lavis/tasks/base_task.py), so a
// max_iters that is not a multiple runs one more, whole inner epoch: ceil(max_iters / iters_per_inner_epoch) of them.
// The lr scheduler is built (RunnerBase.lr_scheduler) with RunnerIter.max_epoch = int(max_iters / iters_per_inner_epoch),
// one fewer in that case: the extra inner epoch is the scheduler's epoch max_epoch (cosine_lr_schedule's min_lr).
// Both keys are read with int() first.
import type { RunSpec } from "./runSpec.js";

export interface InnerEpochs {
  /** Inner epochs the loop runs: len(range(0, max_iters, iters_per_inner_epoch)). */
  readonly run: number;
  /** The lr scheduler's max_epoch: int(max_iters / iters_per_inner_epoch). */
  readonly scheduled: number;
  /** Iterations trained: run × iters_per_inner_epoch (more than max_iters when it is not a multiple). */
  readonly iterations: number;
}

/** RunnerIter's inner epochs for max_iters and iters_per_inner_epoch (both > 0, as RunnerIter asserts). */
export function innerEpochs(maxIters: number, itersPerInnerEpoch: number): InnerEpochs {
  const max = Math.trunc(maxIters);
  const inner = Math.trunc(itersPerInnerEpoch);
  if (!(max > 0 && inner > 0)) return { run: 0, scheduled: 0, iterations: 0 };
  const run = Math.ceil(max / inner);
  return { run, scheduled: Math.trunc(max / inner), iterations: run * inner };
}

/**
 * LAVIS's `train_loader.epoch` after it has drawn `drawn` batches (RunnerIter.cur_epoch, which names its evaluations):
 * IterLoader (lavis/datasets/datasets/dataloader_utils.py @200ac17) counts a pass when `next` finds the last one run
 * out, so after exactly one pass of `batchesPerPass` batches it still says 0 and the next batch makes it 1. A resumed
 * run's loader draws from the resume on (loaderStartIters). `batchesPerPass` null: a MultiIterLoader (several datasets
 * sampled by train_dataset_ratios), which has no `epoch`, so RunnerIter's `except AttributeError` says 0.
 */
export function loaderEpoch(drawn: number, batchesPerPass: number | null): number {
  if (batchesPerPass === null || !(batchesPerPass > 0) || drawn <= 0) return 0;
  return Math.floor((drawn - 1) / batchesPerPass);
}

/**
 * The iterations done before the run's train loader drew its first batch: where a resumed run continues ((inner)
 * epoch `start.epoch`, its step `start.skipSteps`) when the runner builds its loader afresh on a resume (stdlib
 * `evaluation_names.loader_restarts_on_resume`: RunnerIter's new IterLoader starts at epoch 0), else 0. A fresh run
 * starts at (0, 0).
 */
export function loaderStartIters(restartsOnResume: boolean, start: { readonly epoch: number; readonly skipSteps: number }, stepsPerEpoch: number): number {
  return restartsOnResume ? start.epoch * stepsPerEpoch + start.skipSteps : 0;
}

/** Whether validation runs after (inner) epoch `epoch` (every inner epoch of runner_iter, else every val_freq). */
export function validatesAfter(spec: Pick<RunSpec, "validSplits" | "runner" | "valFreq">, epoch: number): boolean {
  return spec.validSplits.length > 0 && epoch % validationStep(spec) === 0;
}

/** Every how many (inner) epochs the run validates (validatesAfter): RunnerIter after each, other runners every val_freq. */
export function validationStep(spec: Pick<RunSpec, "runner" | "valFreq">): number {
  return spec.runner === "runner_iter" ? 1 : Math.max(1, spec.valFreq);
}
