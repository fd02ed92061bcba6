// Which weights the engine loads, as LAVIS would: load_checkpoint_from_config's flags, except for the archs whose
// from_config loads `pretrained` itself whenever it is set (stdlib `loads_pretrained`), where the flags do not count.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { weightsOf } from "../../src/compiler/lowerRunSpec.js";
import { pretrainedAlways } from "../../src/semantic/facts.js";
import { loadStdlib } from "../../src/project/stdlib.js";

const reg = loadStdlib().registry;

test("load_checkpoint_from_config: finetuned when load_finetuned (default true), else pretrained when load_pretrained", () => {
  assert.equal(weightsOf({ finetuned: "f.pth", pretrained: "p.pth" }), { key: "finetuned", path: "f.pth" });
  assert.equal(weightsOf({ load_finetuned: false, pretrained: "p.pth" }), { key: "pretrained", path: "p.pth" });
  assert.equal(weightsOf({ load_finetuned: false, load_pretrained: false, pretrained: "p.pth" }), { key: null, path: null });
});

test("blip_classification and the BLIP feature extractor load `pretrained` whenever it is set, as their from_config does", () => {
  assert.ok(pretrainedAlways(reg, "blip_classification", "multimodal_classification"));
  assert.ok(!pretrainedAlways(reg, "blip_caption", "captioning"), "an arch that calls load_checkpoint_from_config");
  assert.ok(!pretrainedAlways(reg, "blip_feature_extractor", "feature_extraction"), "lavisc's own task loads as lavisc says");
  assert.equal(weightsOf({ load_pretrained: false, pretrained: "p.pth" }, true), { key: "pretrained", path: "p.pth" });
  assert.equal(weightsOf({ load_finetuned: true, finetuned: "f.pth", pretrained: null }, true), { key: null, path: null });
  assert.equal(weightsOf({ load_finetuned: true, finetuned_from: "x.lv" }, true), { key: "finetuned", path: null }, "finetuned_from, lavisc's own, still counts");
});

test.run();
