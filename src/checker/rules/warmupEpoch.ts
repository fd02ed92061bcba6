import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { numberAt } from "./names.js";
import { epochZeroIterations } from "./splitSizes.js";

/**
 * LV4053: warm-up longer than epoch 0. LAVIS's schedulers warm up only while cur_epoch == 0
 * (lavis/common/optims.py, warmup_lr_schedule called for epoch 0 only), so the rest of the ramp is skipped and the
 * learning rate jumps to the epoch-1 value. Epoch 0's length comes from iters_per_inner_epoch (runner_iter) or the
 * training split sizes (local annotation files, else the stdlib's facts). From LAVIS#72.
 */
export const warmupEpochRule: Rule = (ctx) => {
  const evaluate = ctx.at(["run", "evaluate"]);
  if (evaluate?.kind === "scalar" && evaluate.value === true) return;
  const warmup = numberAt(ctx, ["run", "warmup_steps"]);
  const init = numberAt(ctx, ["run", "init_lr"]);
  const start = numberAt(ctx, ["run", "warmup_lr"]) ?? init;
  if (warmup === null || warmup <= 0 || init === null || start === null || start >= init || ctx.invalid.has("run.warmup_steps")) return;
  const epoch = epochZeroIterations(ctx);
  if (!epoch || warmup <= epoch.iterations) return;
  const reached = start + ((init - start) * Math.max(0, epoch.iterations - 1)) / warmup;
  ctx.report(diag("LV4053", ctx.spanFor(["run", "warmup_steps"]), {
    warmup, iterations: epoch.iterations, percent: Math.round((100 * reached) / init),
  }, {
    path: "run.warmup_steps",
    hint: `Set warmup_steps to at most ${epoch.iterations} (epoch 0: ${epoch.basis}).`,
  }));
};
