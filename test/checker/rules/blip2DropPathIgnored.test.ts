import { suite } from "uvu";
import * as assert from "uvu/assert";
import { captionYaml, diagnose } from "../harness.js";

// LV4095: Blip2Base.init_vision_encoder (lavis/models/blip2_models/blip2.py @2ee6793) passes drop_path_rate to
// create_eva_vit_g only (create_clip_vit_L takes none), and freeze_vit (from_config's default true) keeps the ViT in
// eval mode, where drop-path never applies (stdlib/encoders.lv `drop_path_ignored`).

const yaml = (arch: string, modelType: string, model: string) => captionYaml(arch, modelType, model, 224);

const lv4095 = (src: string) => diagnose(src, { name: "/virtual/exp.yaml" }).diags.filter((d) => d.code === "LV4095");

const t = suite("rules: a BLIP-2 drop_path_rate that does nothing (LV4095)");
t("a rate on blip2_opt with freeze_vit left to its default (true): warned at the key, the ViT is frozen", () => {
  const found = lv4095(yaml("blip2_opt", "pretrain_opt2.7b", "  drop_path_rate: 0.1\n"));
  assert.is(found.length, 1);
  assert.is(found[0]!.severity, "warning");
  assert.is(found[0]!.path, "model.drop_path_rate");
  assert.match(found[0]!.message, /`drop_path_rate` is 0\.1, but model `blip2_opt` drops no paths: the ViT is frozen/);
  assert.match(found[0]!.hint ?? "", /freeze_vit: false/);
  assert.match(found[0]!.related?.[0]?.message ?? "", /blip2_opt ignores drop_path_rate/);
});
t("a rate on a clip_L ViT (blip2's pretrain_vitL) with freeze_vit false: warned, clip_L takes no rate", () => {
  const found = lv4095(yaml("blip2", "pretrain_vitL", "  drop_path_rate: 0.2\n  freeze_vit: false\n"));
  assert.is(found.length, 1);
  assert.match(found[0]!.message, /`clip_L` ViT is built without a drop-path rate/);
  assert.match(found[0]!.hint ?? "", /eva_clip_g/);
});
t("silent where the eva_clip_g ViT trains (freeze_vit false), for a rate of 0, and when unset", () => {
  assert.equal(lv4095(yaml("blip2_t5", "pretrain_flant5xl", "  drop_path_rate: 0.1\n  freeze_vit: false\n")), []);
  assert.equal(lv4095(yaml("blip2_opt", "pretrain_opt2.7b", "  drop_path_rate: 0\n")), []);
  assert.equal(lv4095(yaml("blip2_opt", "pretrain_opt2.7b", "")), []);
});
t("an arch without the fact (BLIP's ViT reads vit_drop_path_rate) is not judged", () => {
  assert.equal(lv4095(yaml("blip_caption", "base_coco", "  drop_path_rate: 0.1\n")), []);
});
t.run();
