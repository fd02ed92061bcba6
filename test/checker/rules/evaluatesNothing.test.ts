// LV4098 / LV4099: an evaluation-only run whose test_splits, all that LAVIS's evaluate.py evaluates (RunnerBase.evaluate,
// runner_base.py @eb3189b; stdlib `evaluation_only`), are empty. evaluate.py then ends without a result or a word
// (LAVIS#664); train.py still evaluates valid_splits (LV4099, a warning: LAVIS's InstructBLIP eval configs), unless
// there are none or its loop stops first on a key it reads even when evaluating (LV4098, an error).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose, edit } from "../harness.js";
import { captioning } from "../../compiler/harness.js";

const yaml = (run: string) => `model:
  arch: blip_caption
  model_type: base_coco
datasets:
  coco_caption:
    vis_processor:
      eval:
        name: blip_image_eval
        image_size: 384
    text_processor:
      eval:
        name: blip_caption
run:
  task: captioning
  batch_size_train: 32
  batch_size_eval: 64
  num_workers: 4
  max_len: 20
  min_len: 5
  num_beams: 3
  seed: 42
  output_dir: o
  evaluate: True
${run}`;
const name = "/virtual/eval.yaml";
const found = (src: string, file = name) => diagnose(src, { name: file, codeDefaults: true }).diags;
const nothing = (src: string, file = name) => found(src, file).filter((d) => d.code === "LV4098" || d.code === "LV4099");

const t = suite("rule evaluatesNothing (LV4098, LV4099)");
t("LAVIS's InstructBLIP eval shape (valid_splits only): a warning at `run:` that only train.py evaluates them, and no LV4019 beside it", () => {
  const src = yaml('  max_epoch: 1\n  valid_splits: ["test"]\n');
  const all = found(src);
  const [d, ...more] = nothing(src);
  assert.equal(more, []);
  assert.is(d!.code, "LV4099");
  assert.is(d!.severity, "warning");
  assert.is(d!.path, "run.test_splits");
  assert.match(d!.message, /evaluates `valid_splits` \["test"\] only under LAVIS's train\.py: `test_splits` is \[\] \(LAVIS's code fallback, as the YAML leaves it out\), and evaluate\.py, which `lavisc run --engine lavis` launches, evaluates only test_splits/);
  assert.match(d!.message, /LAVIS#664/);
  assert.is(d!.hint, 'Set `test_splits: ["test"]`, the splits `valid_splits` lists: evaluate.py, train.py and lavisc all evaluate test_splits.');
  assert.equal(all.filter((x) => x.code === "LV4019").map((x) => x.path), [], "LV4099 says what LV4019 would at run.test_splits");
  const at = codes(src, { name, codeDefaults: true }).find((c) => c.code === "LV4099")!;
  assert.equal([at.line, at.column], [13, 1], "the `run:` key, as test_splits is left out");
});
t("without max_epoch train.py stops before it evaluates: an error naming max_epoch, whose hint moves the splits", () => {
  const [d, ...more] = nothing(yaml('  valid_splits: ["test"]\n'));
  assert.equal(more, []);
  assert.is(d!.code, "LV4098");
  assert.is(d!.severity, "error");
  assert.match(d!.message, /evaluates nothing: `test_splits` is \[\] \(LAVIS's code fallback, as the YAML leaves it out\), and LAVIS's evaluate\.py evaluates only test_splits; train\.py, which would evaluate `valid_splits` \["test"\] first, stops before it: its loop reads `max_epoch` even when evaluating/);
  assert.is(d!.hint, 'Set `test_splits: ["test"]`, the splits `valid_splits` lists: evaluate.py and lavisc evaluate test_splits, and need no `max_epoch`.');
});
t("runner_iter: RunnerIter's loop reads max_iters and iters_per_inner_epoch instead", () => {
  const iter = '  runner: runner_iter\n  valid_splits: ["val"]\n';
  assert.equal(nothing(yaml(`${iter}  max_iters: 10\n  iters_per_inner_epoch: 5\n`)).map((d) => d.code), ["LV4099"]);
  const [d] = nothing(yaml(iter));
  assert.is(d!.code, "LV4098");
  assert.match(d!.message, /its loop reads `max_iters` and `iters_per_inner_epoch` even when evaluating/);
});
t("an explicit `test_splits: []` and nothing to validate: an error at the value, naming the splits the datasets provide", () => {
  const src = yaml("  max_epoch: 1\n  test_splits: []\n");
  const [d, ...more] = nothing(src);
  assert.equal(more, []);
  assert.is(d!.code, "LV4098");
  assert.match(d!.message, /`test_splits` is \[\], and LAVIS's evaluate\.py evaluates only test_splits; train\.py, which evaluates `valid_splits` and `test_splits`, finds no split in them either\. LAVIS ends such a run without a result and without a word \(LAVIS#664\)\./);
  assert.is(d!.hint, "Name the splits to evaluate in `test_splits` (the datasets provide `test`, `val`), or set `evaluate: False` to train.");
  const at = codes(src, { name }).find((c) => c.code === "LV4098")!;
  assert.equal([at.line, at.column], [25, 16], "the written []");
});
t(".lv: `test_splits = []` is reported in the .lv's syntax; left to the documented default ([test], which coco_caption has), nothing", () => {
  const evaluating = edit("min_len = 5", "min_len = 5\n    evaluate = true", captioning).replace("load_finetuned = false", "load_finetuned = true");
  const lv = "/virtual/exp.lv";
  const empty = evaluating.replace("test_splits = [test]", "test_splits = []");
  assert.equal(nothing(empty, lv).map((d) => [d.code, d.hint]), [["LV4099", 'Set `test_splits = ["val"]`, the splits `valid_splits` lists: evaluate.py, train.py and lavisc all evaluate test_splits.']]);
  assert.equal(nothing(empty.replace("    valid_splits = [val]\n", ""), lv).map((d) => d.code), ["LV4098"]);
  assert.equal(nothing(evaluating.replace("    test_splits = [test]\n", ""), lv), []);
});
t("a test split to evaluate, or a training run: nothing (a training YAML keeps LV4019 for its test_splits)", () => {
  assert.equal(nothing(yaml('  max_epoch: 1\n  valid_splits: ["val"]\n  test_splits: ["test"]\n')), []);
  const training = yaml("  max_epoch: 1\n  init_lr: 1e-5\n  min_lr: 0\n").replace("evaluate: True", "evaluate: False");
  assert.equal(nothing(training), []);
  assert.ok(found(training).some((d) => d.code === "LV4019" && d.path === "run.test_splits"));
});
t.run();
