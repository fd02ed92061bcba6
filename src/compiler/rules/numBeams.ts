import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";

/**
 * lavisc's documented beam limit. Beam search repeats every image num_beams times (batch_size_eval x num_beams
 * sequences per step); LAVIS's own configs use 1 to 5 for generation (the 256 in two VQA configs is for rank inference,
 * which ignores num_beams).
 */
export const MAX_NUM_BEAMS = 64;

/** LV5009: a beam width the model can honour, for tasks that generate text (min_len <= max_len is a stdlib check). */
export const numBeamsRule: GraphRule = (ctx) => {
  const gen = ctx.nodesOf("generation")[0];
  if (!gen || gen.attrs["generates"] !== true) return;
  const beams = gen.attrs["num_beams"];
  if (typeof beams === "number" && (!Number.isInteger(beams) || beams < 1 || beams > MAX_NUM_BEAMS)) {
    // The limit is the tfjs engine's; `check` warns, as LAVIS may still run it.
    ctx.report(diag("LV5009", ctx.spanFor(["run", "num_beams"]), { value: beams, arch: ctx.graph.run.model.arch || "the model", max: MAX_NUM_BEAMS }, {
      path: "run.num_beams",
      ...(ctx.engine === "any" ? { severity: "warning" as const } : {}),
    }));
  }
};
