import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { vitModelBuilt } from "./contractData.js";
import { nameAt, quoteList } from "./names.js";

/**
 * LV4097 (error): the experiment names a `vit_model` its BLIP-2 arch cannot build. Blip2Base.init_vision_encoder
 * (lavis/models/blip2_models/blip2.py @2ee6793) asserts the name is eva_clip_g, eva2_clip_L or clip_L, then builds
 * eva_clip_g or clip_L only: its eva2_clip_L branch is commented out, so that name passes the assert and model
 * construction stops with UnboundLocalError on `visual_encoder` (the arch's `vit_model_built` in stdlib/encoders.lv,
 * which also gives the failure texts). An arch without the fact is not judged.
 */
export const vitModelUnbuiltRule: Rule = (ctx) => {
  const node = ctx.at(["model", "vit_model"]);
  const value = nameAt(ctx, ["model", "vit_model"]);
  if (!node || value === undefined || !ctx.isUserValue(node)) return;
  const arch = nameAt(ctx, ["model", "arch"]);
  const fact = arch ? vitModelBuilt(ctx.registry, arch) : null;
  if (!fact || fact.built.includes(value)) return;
  const failure = fact.accepted.includes(value) ? fact.unbuiltFailure : fact.rejectedFailure;
  ctx.report(diag("LV4097", node.span, { value, arch: arch!, failure }, {
    path: "model.vit_model",
    hint: `Set \`vit_model\` to one of ${quoteList(fact.built)}, the ViTs ${arch} builds, with weights trained with it.`,
    related: [{ span: fact.declared.span, message: `${arch} builds a ViT for ${fact.built.join(" or ")} only` }],
  }));
};
