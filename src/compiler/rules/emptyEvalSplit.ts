import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";

/**
 * LV5015: a split the run evaluates has local annotations with no records (an annotation file `[]`): its metrics
 * would be computed on nothing (`CIDEr 0, agg_metrics 0`, and no best checkpoint from an empty `val`).
 */
export const emptyEvalSplitRule: GraphRule = (ctx) => {
  const run = ctx.graph.run;
  for (const step of ctx.nodesOf("eval_step")) {
    const split = String(step.attrs["split"]);
    const key = step.attrs["role"] === "valid" ? "valid_splits" : "test_splits";
    for (const ds of run.datasets) {
      if (!ds.splits.some((s) => s.split === split) || ctx.stats(ds.name, split)?.records !== 0) continue;
      ctx.report(diag("LV5015", ctx.spanFor(["run", key]), { split, dataset: ds.name, key, best: key === "valid_splits" ? ", and no validation keeps a best checkpoint" : "" }, { path: `run.${key}` }));
    }
  }
};
