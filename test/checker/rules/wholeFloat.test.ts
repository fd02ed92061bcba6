// LV3026: a whole-number float where an int is declared is an int to lavisc but a float to LAVIS's code, which works
// only for the keys the runner converts with int() (stdlib/training.lv `int_keys`): torch's DataLoader refuses a
// float batch size, np.random.seed a float seed.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose } from "../harness.js";

const project = (run: string) => `model:
  arch: blip_caption
  model_type: base_coco
datasets:
  coco_caption: {}
run:
  task: captioning
  lr_sched: linear_warmup_cosine_lr
  init_lr: 1e-5
  min_lr: 0
  weight_decay: 0.05
  num_workers: 4
  output_dir: o
  evaluate: false
  train_splits: [train]
  valid_splits: [val]
  test_splits: [test]
${run}`;
const whole = (src: string) => diagnose(src, { name: "/virtual/exp.yaml" }).diags.filter((d) => d.code === "LV3026");

const t = suite("rule wholeFloat (LV3026)");
t("a float batch size and seed warn, at the value, and are not errors", () => {
  const src = project("  max_epoch: 5\n  batch_size_train: 24.0\n  batch_size_eval: 8\n  seed: 4.2e1\n");
  const found = whole(src);
  assert.equal(found.map((d) => d.path), ["run.batch_size_train", "run.seed"]);
  assert.is(found[0]!.severity, "warning");
  assert.is(found[0]!.message, "`run.batch_size_train` is the float 24.0: lavisc reads it as 24, but LAVIS's code gets a float where it needs an int.");
  const at = codes(src, { name: "/virtual/exp.yaml" }).filter((c) => c.code === "LV3026");
  assert.equal(at.map((c) => [c.line, c.column]), [[19, 21], [21, 9]]);
  assert.ok(!diagnose(src, { name: "/virtual/exp.yaml" }).diags.some((d) => d.severity === "error" && d.path?.startsWith("run.")), "still an int to lavisc");
});

t("keys the runner converts with int() take a float: max_epoch with runner_base, max_iters with runner_iter", () => {
  assert.equal(whole(project("  max_epoch: 5.0\n  batch_size_train: 24\n  batch_size_eval: 8\n  seed: 42\n")), []);
  const iter = project("  runner: runner_iter\n  max_iters: 2e3\n  iters_per_inner_epoch: 1000.0\n  batch_size_train: 24\n  batch_size_eval: 8\n  seed: 42\n");
  assert.equal(whole(iter), []);
  // runner_base does not convert max_iters (it does not read it), so the exemption follows the runner.
  assert.equal(whole(project("  max_epoch: 5\n  max_iters: 2e3\n  batch_size_train: 24\n  batch_size_eval: 8\n  seed: 42\n")).map((d) => d.path), ["run.max_iters"]);
});

t("in .lv, an expression's whole float warns the same way; an int does not", () => {
  const lv = (v: string) => `experiment e {\n  task captioning\n  model blip_caption(base_coco)\n  data coco_caption\n  recipe {\n    max_epoch = 5\n    batch_size_train = ${v}\n    batch_size_eval = 8\n    init_lr = 1e-5\n    min_lr = 0\n    output_dir = "o"\n  }\n}\n`;
  assert.equal(diagnose(lv("12 * 2.0")).diags.filter((d) => d.code === "LV3026").map((d) => d.path), ["run.batch_size_train"]);
  assert.equal(diagnose(lv("24")).diags.filter((d) => d.code === "LV3026"), []);
});

t.run();
