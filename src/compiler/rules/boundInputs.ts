import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";

/** LV5003/LV5004: every input of the run is bound — needed keys have values, every train/eval step has data. */
export const boundInputsRule: GraphRule = (ctx) => {
  for (const m of ctx.missing) {
    const path = ctx.pathOf(m.path);
    ctx.report(diag("LV5003", ctx.spanFor(path), { key: m.path, purpose: m.purpose }, { path: m.path }));
  }
  const fed = new Set(ctx.graph.edges.filter((e) => e.label === "batches").map((e) => e.to));
  for (const step of [...ctx.nodesOf("train_step"), ...ctx.nodesOf("eval_step")]) {
    if (fed.has(step.id)) continue;
    const role = step.kind === "train_step" ? "train" : String(step.attrs["role"]);
    const key = role === "train" ? "train_splits" : `${role}_splits`;
    const splits = step.kind === "train_step" ? (step.attrs["splits"] as string[]) : [String(step.attrs["split"])];
    if (!splits.length) {
      ctx.report(diag("LV5003", ctx.spanFor(["run", key]), { key: `run.${key}`, purpose: "training (no split is listed)" }, { path: `run.${key}` }));
      continue;
    }
    for (const split of splits) ctx.report(diag("LV5004", ctx.spanFor(["run", key]), { role: role === "valid" ? "validation" : role, split }, { path: `run.${key}` }));
  }
};
