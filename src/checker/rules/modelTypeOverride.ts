import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";

/** LV4014 (warning): an override of `model.model_type` does not change which default config LAVIS loads. */
export const modelTypeOverrideRule: Rule = (ctx) => {
  const loaded = ctx.resolved.loadedModelType;
  for (const o of ctx.resolved.overrides) {
    if (o.path.join(".") !== "model.model_type") continue;
    const v = o.node.kind === "scalar" ? String(o.node.value) : "";
    if (v === loaded) continue;
    ctx.report(diag("LV4014", o.node.span, { key: "model.model_type", original: loaded ?? "(none)" }, { path: "model.model_type" }));
  }
};
