import { diag } from "../../diagnostics/index.js";
import type { Rule, RuleContext } from "../context.js";
import { vitModelsBuilt, type VitModelBuilt } from "./contractData.js";
import { listOfNames, nameAt, quoteList } from "./names.js";

/**
 * LV4097 (error): the experiment names a ViT its BLIP-2 arch cannot build. Blip2Base.init_vision_encoder
 * (lavis/models/blip2_models/blip2.py @2ee6793) asserts the name is eva_clip_g, eva2_clip_L or clip_L, then builds
 * eva_clip_g or clip_L only: its eva2_clip_L branch is commented out, so that name passes the assert and model
 * construction stops with UnboundLocalError on `visual_encoder`. The arch's `vit_model_built` in stdlib/encoders.lv
 * names each key judged (`vit_model`; X-InstructBLIP's `image_model` and `video_model`, read only for the modalities
 * its `modalities` lists) and gives the failure texts. An arch without the fact is not judged.
 */
export const vitModelUnbuiltRule: Rule = (ctx) => {
  const arch = nameAt(ctx, ["model", "arch"]);
  for (const fact of arch ? vitModelsBuilt(ctx.registry, arch) : []) judge(ctx, arch!, fact);
};

function judge(ctx: RuleContext, arch: string, fact: VitModelBuilt): void {
  const node = ctx.at(["model", fact.key]);
  const value = nameAt(ctx, ["model", fact.key]);
  if (!node || value === undefined || !ctx.isUserValue(node) || fact.built.includes(value) || !isRead(ctx, fact)) return;
  const failure = fact.accepted.includes(value) ? fact.unbuiltFailure : fact.rejectedFailure;
  ctx.report(diag("LV4097", node.span, { key: fact.key, value, arch, failure }, {
    path: `model.${fact.key}`,
    hint: `Set \`${fact.key}\` to one of ${quoteList(fact.built)}, the ViTs ${arch} builds, with weights trained with it.`,
    related: [{ span: fact.declared.span, message: `${arch} builds a ViT for ${fact.built.join(" or ")} only` }],
  }));
}

/** False when the arch reads the key only for a modality the model's list (`modalities`) leaves out, or an unreadable list. */
function isRead(ctx: RuleContext, fact: VitModelBuilt): boolean {
  if (!fact.readWhen) return true;
  return listOfNames(ctx, ["model", fact.readWhen.list])?.some((m) => m.name === fact.readWhen!.item) ?? false;
}
