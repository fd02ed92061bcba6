import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { numberAt } from "./names.js";
import { epochZeroIterations } from "./splitSizes.js";

/**
 * LV4054: gradient accumulation longer than an epoch. BaseTask._train_inner_loop steps the optimizer when
 * (i + 1) % accum_grad_iters == 0, with i counted from 0 in every (inner) epoch, so with more accumulation steps than
 * iterations the optimizer never steps and the model never changes.
 */
export const accumGradEpochRule: Rule = (ctx) => {
  const evaluate = ctx.at(["run", "evaluate"]);
  if (evaluate?.kind === "scalar" && evaluate.value === true) return;
  const accum = numberAt(ctx, ["run", "accum_grad_iters"]);
  if (accum === null || accum <= 1 || ctx.invalid.has("run.accum_grad_iters")) return;
  const epoch = epochZeroIterations(ctx);
  if (!epoch || accum <= epoch.iterations) return;
  ctx.report(diag("LV4054", ctx.spanFor(["run", "accum_grad_iters"]), { accum, iterations: epoch.iterations }, {
    path: "run.accum_grad_iters",
    hint: `Lower accum_grad_iters below ${epoch.iterations + 1} (an epoch: ${epoch.basis}).`,
  }));
};
