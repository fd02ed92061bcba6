import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";

const WORDS = {
  model: { verb: "build", verbs: "builds", instead: "choose an arch it builds" },
  data: { verb: "load", verbs: "loads", instead: "use a dataset of images" },
} as const;

/**
 * LV5016: an arch the runtime's model registry does not build, or a dataset whose `data_type` it does not load
 * (`TFJS_ARCHS`, `TFJS_DATA_TYPES` in runtime/runSpec.ts). Reported only where the tfjs engine is chosen (`graph`,
 * `plan`, `run`): LAVIS runs them, so `check` says nothing (a LAVIS YAML of BLIP-2 or of videos is fine to export).
 */
export const tfjsModelDataRule: GraphRule = (ctx) => {
  if (ctx.engine !== "tfjs") return;
  for (const u of ctx.unsupported) {
    if (u.kind === "loop") continue;
    ctx.report(diag("LV5016", ctx.spanFor(ctx.pathOf(u.path)), { key: u.path, value: u.value, supported: u.supported.join(", "), ...WORDS[u.kind] }, { path: u.path }));
  }
};
