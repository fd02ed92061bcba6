import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { dropPathIgnored } from "./contractData.js";
import { nameAt, numberAt } from "./names.js";

/**
 * LV4095 (warning): the experiment sets a BLIP-2 `drop_path_rate` above 0 that does nothing. Blip2Base.init_vision_encoder
 * (lavis/models/blip2_models/blip2.py @2ee6793) passes the rate to eva_vit's create_eva_vit_g only: clip_vit.py's
 * create_clip_vit_L takes none. And with freeze_vit true (from_config's default) the ViT is put in eval() with its
 * `train` disabled, so drop-path, active in training only, never applies (the arch's `drop_path_ignored` in
 * stdlib/encoders.lv). A rate of 0, or one the ViT trains with (eva_clip_g, freeze_vit false), is not reported.
 */
export const blip2DropPathIgnoredRule: Rule = (ctx) => {
  const node = ctx.at(["model", "drop_path_rate"]);
  const rate = numberAt(ctx, ["model", "drop_path_rate"]);
  if (!node || rate === null || rate <= 0 || !ctx.isUserValue(node)) return;
  const arch = nameAt(ctx, ["model", "arch"]);
  const fact = arch ? dropPathIgnored(ctx.registry, arch) : null;
  if (!fact) return;
  const vitModel = nameAt(ctx, ["model", "vit_model"]);
  const freeze = ctx.at(["model", "freeze_vit"]);
  const frozen = freeze?.kind === "scalar" && typeof freeze.value === "boolean" ? freeze.value : fact.freezeVitDefault;
  const builtWithout = vitModel !== undefined && fact.vitModels.includes(vitModel);
  if (!builtWithout && !frozen) return;
  const reason = builtWithout
    ? `its \`${vitModel}\` ViT is built without a drop-path rate (create_clip_vit_L takes none)`
    : `the ViT is frozen (freeze_vit ${freeze?.kind === "scalar" ? "is true" : "defaults to true"}): LAVIS keeps it in eval mode, where drop-path never applies`;
  ctx.report(diag("LV4095", node.keySpan ?? node.span, { value: String(rate), arch: arch!, reason }, {
    path: "model.drop_path_rate",
    hint: builtWithout
      ? "Remove `drop_path_rate`, or build the ViT with `vit_model: eva_clip_g` (and `freeze_vit: false`) to train it with drop-path."
      : "Remove `drop_path_rate`, or set `freeze_vit: false` to fine-tune the ViT with drop-path.",
    related: [{ span: fact.declared.span, message: `${arch} ignores drop_path_rate for a clip_L or frozen ViT` }],
  }));
};
