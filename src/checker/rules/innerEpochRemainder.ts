import { diag } from "../../diagnostics/index.js";
import { innerEpochs } from "../../runtime/innerEpochs.js";
import type { Rule } from "../context.js";
import { nameAt, numberAt } from "./names.js";

/**
 * LV4066: max_iters that is not a multiple of iters_per_inner_epoch. RunnerIter.train (lavis/runners/runner_iter.py)
 * loops over range(start_iters, max_iters, iters_per_inner_epoch) and runs every inner epoch in full
 * (BaseTask._train_inner_loop), so it trains past max_iters to the end of the last inner epoch, while the lr scheduler
 * gets max_epoch = int(max_iters / iters_per_inner_epoch), one fewer (../../runtime/innerEpochs.ts).
 */
export const innerEpochRemainderRule: Rule = (ctx) => {
  if (nameAt(ctx, ["run", "runner"]) !== "runner_iter") return;
  const evaluate = ctx.at(["run", "evaluate"]);
  if (evaluate?.kind === "scalar" && evaluate.value === true) return;
  const max = numberAt(ctx, ["run", "max_iters"]);
  const inner = numberAt(ctx, ["run", "iters_per_inner_epoch"]);
  if (max === null || inner === null) return;
  const epochs = innerEpochs(max, inner);
  if (epochs.run === 0 || epochs.iterations === Math.trunc(max)) return;
  const schedule = scheduleClause(epochs.scheduled, nameAt(ctx, ["run", "lr_sched"]));
  ctx.report(diag("LV4066", ctx.spanFor(["run", "max_iters"]), { max, inner, epochs: epochs.run, runs: epochs.iterations, extra: epochs.iterations - Math.trunc(max), schedule }, { path: "run.max_iters" }));
};

/** What the lr scheduler makes of the extra inner epoch (lavis/common/optims.py). */
function scheduleClause(scheduled: number, scheduler: string | undefined): string {
  if (scheduled === 0) return "that one inner epoch is the lr scheduler's epoch 0, its warm-up";
  const given = `the lr scheduler gets max_epoch = int(max_iters / iters_per_inner_epoch) = ${scheduled}, one fewer`;
  // cosine_lr_schedule at epoch == max_epoch: cos(pi) = -1, so lr = min_lr.
  return scheduler === "linear_warmup_cosine_lr" ? `${given}, so the last inner epoch trains at min_lr` : given;
}
