// `lavisc check` reports everything `graph`, `plan` and `run` would refuse before training: the execution graph's
// rules run in check too, and graph/plan show each finding once. One root cause gives one error: an `extends` or
// `import` that fails does not add "no model / no dataset / required value" errors.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { captioning } from "../compiler/harness.js";

/** The compiler tests' captioning experiment with a 224-pixel eval processor for a 384-pixel model. */
const mismatch = captioning.replace("blip_image_eval { image_size = 384 }", "blip_image_eval { image_size = 224 }");
const count = (text: string, re: RegExp) => (text.match(new RegExp(re, "g")) ?? []).length;

const t = suite("check runs every static rule");
t("LV5005 (processor vs model image_size) is reported by check, once, at the processor's image_size", async () => {
  const h = memoryHost({ "/w/cap.lv": mismatch }, "/w");
  assert.is(await runCli(["check", "cap.lv"], h), 1);
  assert.is(count(h.out, /error\[LV5005\]/), 1, h.out);
  assert.match(h.out, /--> cap\.lv:8:57/);
  for (const cmd of ["graph", "plan"]) {
    const g = memoryHost({ "/w/cap.lv": mismatch }, "/w");
    assert.is(await runCli([cmd, "cap.lv"], g), 1, cmd);
    assert.is(count(g.err, /error\[LV5005\]/), 1, `${cmd}: ${g.err}`);
  }
});
t("runtime constraints are stdlib checks: image_size % patch_size, widths divisible by heads, momentum range", async () => {
  const bad = mismatch.replace("load_finetuned = false", "load_finetuned = false\n    image_size = 380\n    vit_heads = 7\n    momentum = 1.5")
    .replace("image_size = 224", "image_size = 380").replace("image_size = 384 }", "image_size = 380 }");
  const h = memoryHost({ "/w/cap.lv": bad }, "/w");
  assert.is(await runCli(["check", "cap.lv", "--format", "json"], h), 1);
  const found = (JSON.parse(h.out) as { diagnostics: { code: string; path: string; message: string }[] }).diagnostics.map((d) => `${d.code} ${d.path}: ${d.message}`);
  assert.ok(found.some((d) => d.startsWith("LV4001 model.image_size: `image_size` must be a multiple of patch_size")), found.join("\n"));
  assert.ok(found.some((d) => d.startsWith("LV4001 model.vit_heads: `vit_width` must be divisible by vit_heads")), found.join("\n"));
  assert.ok(found.some((d) => d.startsWith("LV3002 model.momentum")), found.join("\n"));
});
t("a missing extends target is one error, not missing model/dataset/required values", async () => {
  const h = memoryHost({ "/w/a.lv": 'experiment a extends "./missing.lv" {\n  recipe { max_epoch = 2 }\n}\n' }, "/w");
  assert.is(await runCli(["check", "a.lv", "--format", "json"], h), 1);
  assert.equal((JSON.parse(h.out) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code), ["LV2014"]);
});
t("a failed import is one error, also when the base experiment it would hold is extended by name", async () => {
  const h = memoryHost({ "/w/b.lv": 'import "./nothere.lv"\n\nexperiment b extends base_exp {\n  recipe { max_epoch = 2 }\n}\n' }, "/w");
  assert.is(await runCli(["check", "b.lv", "--format", "json"], h), 1);
  assert.equal((JSON.parse(h.out) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code), ["LV2013"]);
});
t("an experiment without task, model and dataset gets LV2018 for each, and no graph cascade", async () => {
  const h = memoryHost({ "/w/e.yaml": "run:\n  output_dir: o\n" }, "/w");
  await runCli(["check", "e.yaml", "--format", "json"], h);
  const codes = (JSON.parse(h.out) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
  assert.ok(codes.every((c) => !c.startsWith("LV5")), codes.join(" "));
});
t.run();
