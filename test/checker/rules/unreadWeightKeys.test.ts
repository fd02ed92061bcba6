// LV4077: a weights key the user set asks for a loading that the arch's LAVIS code does not do (its from_config never
// calls load_checkpoint_from_config), read in LAVIS's source: BlipClassification and the BLIP feature extractor load
// `pretrained` whenever it is set; BLIP's and ALBEF's pre-training models build their weights themselves.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { modelDiagnostics } from "../../harness/modelConfig.js";

const lv4077 = (model: { arch: string; model_type: string } & Record<string, unknown>, run: Record<string, unknown> = { task: "multimodal_classification" }) =>
  modelDiagnostics(model, run).filter((d) => d.startsWith("LV4077")).map((d) => d.split(":")[0]);

test("load_pretrained: False where the classifier loads `pretrained` anyway", () => {
  assert.equal(lv4077({ arch: "blip_classification", model_type: "base", load_pretrained: false }), ["LV4077 model.load_pretrained"]);
  assert.equal(lv4077({ arch: "blip_classification", model_type: "base", load_pretrained: false, pretrained: null }), [], "nothing to load: LAVIS starts from scratch too");
});

test("finetuned weights and load_finetuned, which these archs never read", () => {
  assert.equal(lv4077({ arch: "blip_classification", model_type: "base", load_finetuned: true, finetuned: "x.pth" }), ["LV4077 model.load_finetuned", "LV4077 model.finetuned"]);
  assert.equal(lv4077({ arch: "blip_pretrain", model_type: "base", pretrained: "x.pth", load_pretrained: true }, { task: "image_text_pretrain" }), ["LV4077 model.load_pretrained", "LV4077 model.pretrained"]);
});

test("a value that asks for what LAVIS does anyway is not reported (LAVIS's own pre-training configs say load_pretrained: False)", () => {
  assert.equal(lv4077({ arch: "blip_pretrain", model_type: "base", load_pretrained: false }, { task: "image_text_pretrain" }), []);
  assert.equal(lv4077({ arch: "albef_pretrain", model_type: "base", load_pretrained: false, load_finetuned: false }, { task: "image_text_pretrain" }), []);
  assert.equal(lv4077({ arch: "blip_caption", model_type: "base_coco", load_pretrained: false, load_finetuned: false }, { task: "captioning" }), [], "an arch that calls load_checkpoint_from_config reads them");
});

test.run();
