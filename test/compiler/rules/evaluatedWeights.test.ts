// LV5018 / LV5019: an evaluation-only run on the tfjs engine. Without a vocabulary (no vocab_file, no lavisc
// checkpoint, no training texts) `run` stopped with "no vocabulary" while `plan` exited 0 saying "loads weights: none";
// now plan and run refuse it with the same advice. With a vocabulary but no weights it evaluates a random
// initialisation: a warning. LAVIS tokenizes and loads weights its own ways, so `check` says neither.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../../src/cli/main.js";
import { memoryHost } from "../../../src/cli/host.js";

const experiment = (model: string) => `experiment e {
  task multimodal_classification
  model blip_classification(tiny) {
    num_classes = 5
    image_size = 32
    patch_size = 8
${model}
  }
  data shapes_classification {
    vis_processor.train = blip_image_eval { image_size = 32 }
    vis_processor.eval = blip_image_eval { image_size = 32 }
  }
  recipe {
    evaluate = true
    batch_size_eval = 8
    output_dir = "/w/out"
    test_splits = [test]
  }
}
`;
const host = (model = "") => memoryHost({ "/w/exp.lv": experiment(model) }, "/w");
const plan = ["plan", "exp.lv", "--data-root", "/nonexistent"];

const t = suite("graph rule evaluatedWeights (LV5018, LV5019)");
t("no weights and no vocab_file: plan and run refuse it with the runtime's advice; check says nothing", async () => {
  const p = host();
  assert.is(await runCli(plan, p), 1);
  assert.match(p.err, /error\[LV5018\]: An evaluation-only run \(`evaluate` is true\) of `blip_classification` has no vocabulary for its tokenizer: it loads no weights, model.vocab_file is not set/);
  assert.match(p.err, /Set model.vocab_file .*, load weights saved by lavisc .*, or train on a split with captions/);
  assert.not.match(p.err, /LV5019/);
  const r = host();
  assert.is(await runCli(["run", "exp.lv", "--data-root", "/nonexistent/data", "--quiet"], r), 1);
  assert.match(r.err, /error\[LV5018\]/);
  const c = host();
  assert.is(await runCli(["check", "exp.lv"], c), 0, c.out);
  assert.not.match(c.out, /LV501[89]/);
});
t("weights that are a bare state dict carry no vocabulary either", async () => {
  const p = host('    pretrained = "/w/model.safetensors"');
  assert.is(await runCli(plan, p), 1);
  assert.match(p.err, /error\[LV5018\].*its weights \/w\/model.safetensors are a state dict, not a lavisc checkpoint, so they carry none/);
});
t("a vocab_file but no weights: plan warns that it evaluates random weights", async () => {
  const p = host('    vocab_file = "/w/vocab.txt"');
  assert.is(await runCli(plan, p), 0, p.err);
  assert.match(p.err, /warning\[LV5019\]: An evaluation-only run \(`evaluate` is true\) that loads no weights: it evaluates `blip_classification` as randomly initialised/);
  assert.not.match(p.err, /LV5018/);
});
t("a lavisc checkpoint brings both weights and vocabulary", async () => {
  const p = host('    pretrained = "/w/out/1/checkpoint_best.json"');
  await runCli(plan, p);
  assert.not.match(p.err, /LV501[89]/);
});
t.run();
