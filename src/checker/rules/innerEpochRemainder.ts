import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { nameAt, numberAt } from "./names.js";

/**
 * LV4066: max_iters that is not a multiple of iters_per_inner_epoch. RunnerIter runs
 * int(max_iters / iters_per_inner_epoch) whole inner epochs (lavis/runners/runner_iter.py), so the remaining
 * iterations never run and the schedule ends early.
 */
export const innerEpochRemainderRule: Rule = (ctx) => {
  if (nameAt(ctx, ["run", "runner"]) !== "runner_iter") return;
  const evaluate = ctx.at(["run", "evaluate"]);
  if (evaluate?.kind === "scalar" && evaluate.value === true) return;
  const max = numberAt(ctx, ["run", "max_iters"]);
  const inner = numberAt(ctx, ["run", "iters_per_inner_epoch"]);
  if (max === null || inner === null || inner <= 0 || max < inner || max % inner === 0) return;
  const runs = Math.floor(max / inner) * inner;
  ctx.report(diag("LV4066", ctx.spanFor(["run", "max_iters"]), { max, inner, runs, lost: max - runs }, { path: "run.max_iters" }));
};
