import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";
import { lengthBeyondCounting, MAX_STEPS, stepsPerEpoch, trainRecords } from "../trainingLength.js";

/** LV5014: the run's training steps (max_epoch times the steps per epoch, or max_iters) fit a step counter. */
export const trainingLengthRule: GraphRule = (ctx) => {
  const run = ctx.graph.run;
  if (run.evaluate) return;
  const perEpoch = run.runner === "runner_iter" ? null : stepsPerEpoch(run, trainRecords(run, (ds, split) => ctx.stats(ds.name, split)?.records ?? null));
  const beyond = lengthBeyondCounting(run, perEpoch);
  if (!beyond) return;
  ctx.report(diag("LV5014", ctx.spanFor(["run", beyond.key]), { key: beyond.key, value: beyond.value, steps: beyond.steps, max: MAX_STEPS }, { path: `run.${beyond.key}` }));
};
