import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";

/** LV5007: retrieval's k_test fits the evaluation split (torch.topk fails when k exceeds the images or texts), where the annotations are local. */
export const kTestRule: GraphRule = (ctx) => {
  const run = ctx.graph.run;
  const k = run.taskParams["k_test"];
  if (run.task !== "retrieval" || typeof k !== "number") return;
  for (const step of ctx.nodesOf("eval_step")) {
    const split = String(step.attrs["split"]);
    for (const ds of run.datasets) {
      const s = ctx.stats(ds.name, split);
      if (!s) continue;
      const short = s.records < k ? { count: s.records, what: "images" } : s.texts > 0 && s.texts < k ? { count: s.texts, what: "texts" } : null;
      if (short) ctx.report(diag("LV5007", ctx.spanFor(["run", "k_test"]), { k, split, dataset: ds.name, ...short }, { path: "run.k_test" }));
    }
  }
};
