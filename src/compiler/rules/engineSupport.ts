import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";

/**
 * LV5013: a scheduler or runner the tfjs engine does not implement (a fork's, say) is never replaced by another: `plan`
 * and `run` refuse it and point at `--engine lavis`; `check` warns, since LAVIS may run it.
 */
export const engineSupportRule: GraphRule = (ctx) => {
  for (const u of ctx.unsupported) {
    if (u.kind !== "loop") continue; // archs and data types: tfjsModelData.ts (LV5016)
    ctx.report(diag("LV5013", ctx.spanFor(ctx.pathOf(u.path)), { key: u.path, value: u.value, supported: u.supported.join(", ") }, {
      path: u.path,
      ...(ctx.engine === "any" ? { severity: "warning" as const } : {}),
    }));
  }
};
