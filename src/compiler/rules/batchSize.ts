import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";

/** LV5008/LV5011: batch sizes are positive integers, and each local training split fills at least one batch (the train loader drops the last partial one). */
export const batchSizeRule: GraphRule = (ctx) => {
  const run = ctx.graph.run;
  const keys: [string, number][] = [["batch_size_eval", run.batchSizeEval], ["accum_grad_iters", run.accumGradIters]];
  if (!run.evaluate) keys.unshift(["batch_size_train", run.batchSizeTrain]);
  // An absent value is no value: the run spec holds a stand-in for it (0, 1), and its absence is LV5003's to report
  // (or to leave to the error that explains it, when part of the experiment did not load).
  const absent = new Set(ctx.missing.map((m) => m.path));
  for (const [key, value] of keys) {
    if (absent.has(`run.${key}`) || (Number.isInteger(value) && value >= 1)) continue;
    ctx.report(diag("LV5008", ctx.spanFor(["run", key]), { key: `run.${key}`, value }, { path: `run.${key}` }));
  }
  if (run.evaluate || !(run.batchSizeTrain >= 1)) return;
  for (const loader of ctx.nodesOf("loader")) {
    if (loader.attrs["role"] !== "train") continue;
    const dataset = String(loader.attrs["dataset"]), split = String(loader.attrs["split"]);
    const s = ctx.stats(dataset, split);
    if (s && s.records < run.batchSizeTrain) {
      ctx.report(diag("LV5011", ctx.spanFor(["run", "batch_size_train"]), { split, dataset, count: s.records, batch: run.batchSizeTrain }, { path: "run.batch_size_train" }));
    }
  }
};
