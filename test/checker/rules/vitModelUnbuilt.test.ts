import { suite } from "uvu";
import * as assert from "uvu/assert";
import { captionYaml, diagnose } from "../harness.js";

// LV4097: Blip2Base.init_vision_encoder (lavis/models/blip2_models/blip2.py @2ee6793) asserts vit_model is eva_clip_g,
// eva2_clip_L or clip_L, but builds eva_clip_g and clip_L only: the eva2_clip_L branch is commented out, so that name
// leaves visual_encoder unassigned and model construction stops with UnboundLocalError (stdlib/encoders.lv
// `vit_model_built`, which names the keys judged).

const yaml = (arch: string, modelType: string, model: string) => captionYaml(arch, modelType, model, 224);

const check = (src: string) => diagnose(src, { name: "/virtual/exp.yaml" }).diags;
const lv4097 = (src: string) => check(src).filter((d) => d.code === "LV4097");

const t = suite("rules: a vit_model the BLIP-2 arch cannot build (LV4097)");
t("eva2_clip_L on blip2_opt: an error at the value, UnboundLocalError, the hint naming the ViTs it builds", () => {
  const found = lv4097(yaml("blip2_opt", "pretrain_opt2.7b", "  vit_model: eva2_clip_L\n"));
  assert.is(found.length, 1);
  assert.is(found[0]!.severity, "error");
  assert.is(found[0]!.path, "model.vit_model");
  assert.match(found[0]!.message, /`vit_model` is "eva2_clip_L", but model `blip2_opt` cannot build a ViT for it/);
  assert.match(found[0]!.message, /`UnboundLocalError` on `visual_encoder`/);
  assert.match(found[0]!.hint ?? "", /one of `eva_clip_g`, `clip_L`/);
});
t("the pretrained weights' mismatch (LV4073) is not reported again for the same value: no weights have that ViT", () => {
  const errors = check(yaml("blip2_opt", "pretrain_opt2.7b", "  vit_model: eva2_clip_L\n")).filter((d) => d.severity === "error" && d.path === "model.vit_model");
  assert.equal(errors.map((d) => d.code), ["LV4097"]);
});
t("a name the assert rejects: AssertionError; blip_diffusion (a Blip2Qformer inside) and blip2_t5_instruct too", () => {
  const rejected = lv4097(yaml("blip2_t5", "pretrain_flant5xl", "  vit_model: eva_clip_L\n"));
  assert.is(rejected.length, 1);
  assert.match(rejected[0]!.message, /AssertionError: vit model must be eva_clip_g, eva2_clip_L or clip_L/);
  assert.is(lv4097(yaml("blip_diffusion", "base", "  vit_model: eva2_clip_L\n")).length, 1);
  assert.is(lv4097(yaml("blip2_t5_instruct", "flant5xl", "  vit_model: eva2_clip_L\n")).length, 1);
});
t("silent for the ViTs it builds, when unset, and for an arch without the fact", () => {
  assert.equal(lv4097(yaml("blip2_opt", "pretrain_opt2.7b", "  vit_model: eva_clip_g\n")), []);
  assert.equal(lv4097(yaml("blip2", "pretrain_vitL", "  vit_model: clip_L\n")), []);
  assert.equal(lv4097(yaml("blip2_opt", "pretrain_opt2.7b", "")), []);
  assert.equal(lv4097(yaml("blip_caption", "base_coco", "  vit_model: eva2_clip_L\n")), []);
});

// X-InstructBLIP (blip2_vicuna_xinstruct.py @2c39f64) picks a ViT per modality: __init__ calls init_<modality>_encoder for
// each entry of `modalities` only. init_image_encoder hands `image_model` to the same init_vision_encoder;
// init_video_encoder asserts `video_model` against its own list first, then builds it with init_image_encoder.
const xinstruct = (model: string) => yaml("blip2_vicuna_xinstruct", "vicuna7b", `  llm_model: /path/to/vicuna-7b\n${model}`);
t("X-InstructBLIP's image_model: eva2_clip_L an UnboundLocalError, a name the assert rejects an AssertionError", () => {
  const unbuilt = lv4097(xinstruct("  modalities: [image]\n  image_model: eva2_clip_L\n"));
  assert.is(unbuilt.length, 1);
  assert.is(unbuilt[0]!.path, "model.image_model");
  assert.match(unbuilt[0]!.message, /`image_model` is "eva2_clip_L", but model `blip2_vicuna_xinstruct` cannot build a ViT for it/);
  assert.match(unbuilt[0]!.message, /`UnboundLocalError` on `visual_encoder`/);
  assert.match(unbuilt[0]!.hint ?? "", /Set `image_model` to one of `eva_clip_g`, `clip_L`/);
  const rejected = lv4097(xinstruct("  modalities: [image]\n  image_model: eva_clip_L\n"));
  assert.match(rejected[0]!.message, /AssertionError: vit model must be eva_clip_g, eva2_clip_L or clip_L/);
});
t("X-InstructBLIP's video_model: eva2_clip_L an UnboundLocalError, others its own assert's AssertionError", () => {
  const unbuilt = lv4097(xinstruct("  modalities: [video]\n  video_model: eva2_clip_L\n"));
  assert.equal(unbuilt.map((d) => d.path), ["model.video_model"]);
  assert.match(unbuilt[0]!.message, /`video_model` is "eva2_clip_L".*`UnboundLocalError` on `visual_encoder`/);
  const rejected = lv4097(xinstruct("  modalities: [video]\n  video_model: eva_clip_L\n"));
  assert.match(rejected[0]!.message, /AssertionError: video_model must be in \[eva_clip_g, eva2_clip_L, clip_L\]/);
  // vicuna7b's own config lists every modality (configs/models/blip2/blip2_xinstruct_vicuna7b.yaml), so both keys are read.
  assert.equal(lv4097(xinstruct("  image_model: eva2_clip_L\n  video_model: eva2_clip_L\n")).map((d) => d.path), ["model.image_model", "model.video_model"]);
});
t("X-InstructBLIP: silent for a modality `modalities` leaves out, and for the ViTs it builds", () => {
  assert.equal(lv4097(xinstruct("  modalities: [video]\n  image_model: eva2_clip_L\n")), []);
  assert.equal(lv4097(xinstruct("  modalities: [image, audio]\n  video_model: eva_clip_L\n")), []);
  assert.equal(lv4097(xinstruct("  modalities: [image, video]\n  image_model: clip_L\n  video_model: eva_clip_g\n")), []);
});
t.run();
