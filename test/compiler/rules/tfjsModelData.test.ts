// LV5016: an arch the runtime's model registry does not build, or a dataset that is not of images, is refused by
// `graph`, `plan` and `run` (the tfjs engine) with what to do instead; `check` and LAVIS-engine sweeps say nothing, for
// LAVIS runs them. Before: `plan` printed a whole plan and exited 0, and `run` stopped with "not supported by the
// runtime yet".
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../../src/cli/main.js";
import { memoryHost } from "../../../src/cli/host.js";
import { TFJS_ARCHS } from "../../../src/runtime/runSpec.js";
import { supportedArchs } from "../../../src/runtime/models/index.js";
import { shapesRetrieval } from "../harness.js";

const experiment = (model: string, sweep = "") => shapesRetrieval(model, "", sweep);
const albef = "albef_retrieval(coco) {\n    load_finetuned = false\n    load_pretrained = false\n    image_size = 32\n  }";
const host = (model: string, sweep = "") => memoryHost({ "/w/exp.lv": experiment(model, sweep) }, "/w");

const t = suite("graph rule tfjsModelData (LV5016)");
t("an arch the runtime does not build: check says nothing, plan and run refuse it and say what to do", async () => {
  const c = host(albef);
  assert.is(await runCli(["check", "exp.lv"], c), 0, c.out);
  assert.not.match(c.out, /LV5016/);
  const p = host(albef);
  assert.is(await runCli(["plan", "exp.lv", "--data-root", "/nonexistent"], p), 1);
  assert.match(p.err, /error\[LV5016\]: `model.arch` is `albef_retrieval`, which the tfjs engine does not build \(it builds blip_retrieval, /);
  assert.match(p.err, /lavisc run --engine lavis`, or `lavisc export`.*; or choose an arch it builds/);
  const r = host(albef);
  assert.is(await runCli(["run", "exp.lv", "--data-root", "/nonexistent/data", "--quiet"], r), 1);
  assert.match(r.err, /error\[LV5016\]: `model.arch`/);
  assert.not.match(r.err + r.out, /prepared the built-in dataset/);
});
t("a dataset of videos: plan refuses it at its data_type; the tfjs engine's own archs and images pass", async () => {
  const p = host("blip_retrieval(tiny)");
  assert.is(await runCli(["plan", "exp.lv", "--data-root", "/nonexistent", "--set", 'data.shapes_retrieval.data_type="videos"'], p), 1);
  assert.match(p.err, /error\[LV5016\]: `datasets.shapes_retrieval.data_type` is `videos`, which the tfjs engine does not load \(it loads images\)/);
  assert.match(p.err, /or use a dataset of images/);
  const ok = host("blip_retrieval(tiny)");
  assert.is(await runCli(["plan", "exp.lv", "--data-root", "/nonexistent"], ok), 0, ok.err);
  assert.not.match(ok.err, /LV5016/);
});
t("a sweep for LAVIS (--engine lavis) is not refused what only the tfjs engine lacks; one for the tfjs engine is", async () => {
  const sweep = "  sweep {\n    recipe.init_lr in [1e-3, 1e-4]\n  }\n";
  const l = host(albef, sweep);
  assert.is(await runCli(["sweep", "exp.lv", "--dry-run", "--engine", "lavis", "--data-root", "/nonexistent"], l), 0, l.err);
  assert.not.match(l.err + l.out, /LV5016/);
  const tf = host(albef, sweep);
  assert.is(await runCli(["sweep", "exp.lv", "--dry-run", "--data-root", "/nonexistent"], tf), 1);
  assert.match(tf.err + tf.out, /LV5016/);
});
t("the compiler's list of archs is the runtime's model registry", () => {
  assert.equal(supportedArchs(), [...TFJS_ARCHS]);
});
t.run();
