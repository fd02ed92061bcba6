// LV4019: an experiment that relies on a documented default LAVIS's current code does not share gets a warning at the
// key's path naming both values; `explain` shows both. The keys are the stdlib's `code_defaults { ... }` blocks.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose, edit } from "../harness.js";
import { captioning } from "../../compiler/harness.js";
import { runCli } from "../../../src/cli/main.js";
import { memoryHost } from "../../../src/cli/host.js";

/** The compiler tests' captioning experiment without its generation settings, so it relies on the task's. */
const caption = captioning.replace("    num_beams = 3\n    max_len = 20\n    min_len = 5\n", "");
const messages = (src: string, opts = {}) => diagnose(src, { ...opts, codeDefaults: true }).diags.filter((d) => d.code === "LV4019").map((d) => `${d.path}: ${d.message}`);

const t = suite("rule codeDefault (LV4019)");
t("captioning's generation lengths: documented 20 / 5 / 3, LAVIS's CaptionTask 30 / 1 / 5, named at each key", () => {
  assert.equal(messages(caption), [
    "run.max_len: `run.max_len` is 20, lavisc's documented default; LAVIS's current code falls back to 30.",
    "run.min_len: `run.min_len` is 5, lavisc's documented default; LAVIS's current code falls back to 1.",
    "run.num_beams: `run.num_beams` is 3, lavisc's documented default; LAVIS's current code falls back to 5.",
  ]);
  const d = diagnose(caption, { codeDefaults: true }).diags.find((x) => x.path === "run.max_len")!;
  assert.is(d.severity, "warning");
  assert.match(d.hint ?? "", /Set `max_len` explicitly/);
  assert.ok(d.related.some((r) => r.message === "LAVIS's code default" && r.span.file === "stdlib/tasks.lv"));
  // The span is the nearest written place: the recipe block.
  assert.ok(codes(caption, { codeDefaults: true }).every((c) => c.code !== "LV4019" || c.line === 12));
});
t("a value the experiment writes, even the documented one, is its choice: no warning", () => {
  const written = edit('output_dir = "output/cap"', 'output_dir = "o"\n    max_len = 20\n    min_len = 5\n    num_beams = 5', caption);
  assert.equal(messages(written), []);
});
t("split lists: documented [train] / [val] / [test], LAVIS's RunnerBase []; equal values (evaluating) are no difference", () => {
  const noSplits = edit("    train_splits = [train]\n    valid_splits = [val]\n    test_splits = [test]\n", "    max_len = 20\n    min_len = 5\n    num_beams = 3\n", caption);
  assert.equal(messages(noSplits).map((m) => m.split(":")[0]), ["run.train_splits", "run.valid_splits", "run.test_splits"]);
  assert.match(messages(noSplits)[0]!, /is \["train"\], lavisc's documented default; LAVIS's current code falls back to \[\]/);
  // Evaluating: train_splits and valid_splits default to [] as in LAVIS; only test_splits differs.
  const evaluating = edit("    max_len = 20", "    evaluate = true\n    max_len = 20", noSplits).replace("load_finetuned = false", "load_finetuned = true");
  assert.equal(messages(evaluating).map((m) => m.split(":")[0]), ["run.test_splits"]);
});
t("load_finetuned: documented `recipe.evaluate`, LAVIS's code true; a LAVIS default config that sets it is not a stdlib default", () => {
  const noWeightsChoice = caption.replace("  model blip_caption(base_coco) {\n    load_finetuned = false\n  }", "  model blip_caption(tiny)");
  // blip_caption(tiny) sets load_finetuned itself.
  assert.equal(messages(noWeightsChoice), messages(caption));
  const yaml = `model:
  arch: blip_retrieval
  model_type: coco
datasets:
  coco_retrieval: {}
run:
  task: retrieval
  init_lr: 1.0e-5
  min_lr: 0
  max_epoch: 1
  batch_size_train: 2
  batch_size_eval: 2
  k_test: 16
  output_dir: o
  train_splits: [train]
  valid_splits: [val]
  test_splits: [test]
  use_dist_eval_sampler: False
`;
  // blip_retrieval(coco)'s default config sets load_finetuned: true, so nothing is relied on.
  assert.equal(messages(yaml, { name: "/virtual/exp.yaml" }), []);
  // Without use_dist_eval_sampler a YAML takes LAVIS's true, where LAVIS's runner shards (LAVIS#270; LV4076), and the
  // warning names lavisc's documented false.
  assert.equal(messages(yaml.replace("  use_dist_eval_sampler: False\n", ""), { name: "/virtual/exp.yaml" }),
    ["run.use_dist_eval_sampler: `run.use_dist_eval_sampler` is true, LAVIS's code fallback, as the YAML leaves it out; the documented default (lavisc's, in a .lv) is false."]);
});
t("load_finetuned: no fallback for an arch whose from_config never loads a checkpoint (`loads_checkpoint = false`)", () => {
  const pretrain = (arch: string, type: string) => `model:
  arch: ${arch}
  model_type: ${type}
  load_pretrained: True
datasets:
  coco_caption: {}
run:
  task: image_text_pretrain
  init_lr: 1.0e-4
  min_lr: 1.0e-6
  max_epoch: 1
  batch_size_train: 2
  batch_size_eval: 2
  output_dir: o
  train_splits: [train]
  valid_splits: []
  test_splits: []
`;
  // BlipPretrain.from_config and AlbefPretrain.from_config never call load_checkpoint_from_config: LAVIS reads no
  // load_finetuned for them, so lavisc's documented false differs from nothing.
  assert.equal(messages(pretrain("blip_pretrain", "base"), { name: "/virtual/exp.yaml" }), []);
  assert.equal(messages(pretrain("albef_pretrain", "base"), { name: "/virtual/exp.yaml" }), []);
  // CLIP loads its `pretrained` tag through create_model.
  const clip = pretrain("clip", "ViT-B-32").replace("image_text_pretrain", "retrieval").replace("coco_caption", "coco_retrieval");
  assert.not.ok(messages(clip, { name: "/virtual/exp.yaml" }).some((m) => m.startsWith("model.load_finetuned:")));
  // BlipCaption.from_config does load through it. Its LAVIS default configs all set load_finetuned, so a model type
  // without one (here unknown, as in the corpus's blip/coco_cap_ft_iter.yaml) relies on the fallback.
  const caption = pretrain("blip_caption", "large").replace("image_text_pretrain", "captioning");
  assert.ok(messages(caption, { name: "/virtual/exp.yaml" }).some((m) => m.startsWith("model.load_finetuned: `model.load_finetuned` is false")));
});
t("lr_decay_rate for linear_warmup_step_lr: documented 0.9, LAVIS passes None (a TypeError)", () => {
  const step = edit('output_dir = "output/cap"', 'output_dir = "o"\n    lr_sched = linear_warmup_step_lr\n    max_len = 20\n    min_len = 5\n    num_beams = 3', caption);
  assert.equal(messages(step), ["run.lr_decay_rate: `run.lr_decay_rate` is 0.9, lavisc's documented default; LAVIS's current code falls back to null."]);
});
t("explain shows both values, in text and JSON", async () => {
  const host = memoryHost({ "/w/cap.lv": caption }, "/w");
  assert.is(await runCli(["explain", "cap.lv", "run.max_len"], host), 0, host.err);
  assert.match(host.out, /^run\.max_len = 20  default of task captioning \(stdlib\/tasks\.lv:\d+\); LAVIS's current code falls back to 30$/m);
  const json = memoryHost({ "/w/cap.lv": caption }, "/w");
  assert.is(await runCli(["explain", "cap.lv", "--format", "json"], json), 0, json.err);
  const origins = (JSON.parse(json.out) as { origins: Record<string, { lavisCode?: unknown }> }).origins;
  assert.is(origins["run.num_beams"]!.lavisCode, 5);
  assert.is(origins["run.init_lr"]!.lavisCode, undefined);
});
t("a LAVIS YAML that leaves such a key out means what LAVIS does: LAVIS's value, the warning and explain say whose it is", async () => {
  const yaml = `model:
  arch: blip_caption
  model_type: base_coco
datasets:
  coco_caption:
    vis_processor:
      train: { name: blip_image_train }
      eval: { name: blip_image_eval }
    text_processor:
      train: { name: blip_caption }
      eval: { name: blip_caption }
run:
  task: captioning
  init_lr: 1.0e-5
  min_lr: 0
  max_epoch: 1
  batch_size_train: 2
  batch_size_eval: 2
  output_dir: o
  valid_splits: [val]
`;
  assert.equal(messages(yaml, { name: "/virtual/exp.yaml" }), [
    "run.max_len: `run.max_len` is 30, LAVIS's code fallback, as the YAML leaves it out; the documented default (lavisc's, in a .lv) is 20.",
    "run.min_len: `run.min_len` is 1, LAVIS's code fallback, as the YAML leaves it out; the documented default (lavisc's, in a .lv) is 5.",
    "run.num_beams: `run.num_beams` is 5, LAVIS's code fallback, as the YAML leaves it out; the documented default (lavisc's, in a .lv) is 3.",
    // RunnerBase trains on `train` without train_splits, only unshuffled: no value means that, so the documented one stays.
    "run.train_splits: `run.train_splits` is [\"train\"], lavisc's documented default; LAVIS's current code falls back to [] (RunnerBase.train still trains on the `train` split, unshuffled).",
    "run.test_splits: `run.test_splits` is [], LAVIS's code fallback, as the YAML leaves it out; the documented default (lavisc's, in a .lv) is [\"test\"].",
  ]);
  const host = memoryHost({ "/w/cap.yaml": yaml }, "/w");
  assert.is(await runCli(["explain", "cap.yaml", "--format", "json"], host), 0, host.err);
  const { config, origins } = JSON.parse(host.out) as { config: { run: Record<string, unknown> }; origins: Record<string, { kind: string; file: string }> };
  for (const [key, value] of [["max_len", 30], ["min_len", 1], ["num_beams", 5], ["test_splits", []]] as const) {
    assert.equal(config.run[key], value, key);
    assert.is(origins[`run.${key}`]!.kind, "code-default", key);
  }
  assert.is(origins["run.max_len"]!.file, "stdlib/tasks.lv");
  assert.is((origins["run.max_len"] as { documented?: unknown }).documented, 20);
  assert.equal((origins["run.test_splits"] as { documented?: unknown }).documented, ["test"]);
  assert.is(origins["run.train_splits"]!.kind, "derived");
  const text = memoryHost({ "/w/cap.yaml": yaml }, "/w");
  assert.is(await runCli(["explain", "cap.yaml", "run.test_splits"], text), 0, text.err);
  assert.match(text.out, /^run\.test_splits = \[\]  LAVIS's code fallback in runner runner_base \(stdlib\/training\.lv:\d+\), as the YAML leaves it out; a \.lv takes lavisc's documented default, \["test"\]$/m);
  // linear_warmup_step_lr without lr_decay_rate: LAVIS passes None, a TypeError; the YAML now stops here too.
  const step = yaml.replace("  task: captioning\n", "  task: captioning\n  lr_sched: linear_warmup_step_lr\n");
  const d = diagnose(step, { name: "/virtual/exp.yaml" }).diags.filter((x) => x.severity === "error");
  assert.equal(d.map((x) => `${x.code} ${x.path}`), ["LV4001 run.lr_decay_rate"]);
  assert.match(d[0]!.message, /LAVIS passes None without it/);
});
t.run();
