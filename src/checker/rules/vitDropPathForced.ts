import { diag } from "../../diagnostics/index.js";
import { forcedVitDropPath } from "../../semantic/facts.js";
import type { Rule } from "../context.js";
import { nameAt } from "./names.js";

/**
 * LV4094 (warning): the experiment sets `vit_drop_path_rate` on a ViT whose rate LAVIS fixes: VisionTransformerEncoder
 * (lavis/models/vit.py @28d9d9e) passes `0.1 or drop_path_rate` for vit_type large, always 0.1, so the user's value is
 * ignored in silence (the arch's `vit_drop_path_forced` in stdlib/encoders.lv). A value equal to the fixed rate changes
 * nothing and is not reported.
 */
export const vitDropPathForcedRule: Rule = (ctx) => {
  const node = ctx.at(["model", "vit_drop_path_rate"]);
  if (node?.kind !== "scalar" || typeof node.value !== "number" || !ctx.isUserValue(node)) return;
  const arch = nameAt(ctx, ["model", "arch"]);
  const vitType = nameAt(ctx, ["model", "vit_type"]) ?? "base";
  const forced = arch ? forcedVitDropPath(ctx.registry, arch, vitType) : null;
  if (!forced || forced.rate === node.value) return;
  ctx.report(diag("LV4094", node.keySpan ?? node.span, { value: String(node.value), arch: arch!, vitType, forced: String(forced.rate) }, {
    path: "model.vit_drop_path_rate",
    related: [{ span: forced.declared, message: `${arch} builds a ${vitType} ViT with drop-path rate ${forced.rate}` }],
  }));
};
