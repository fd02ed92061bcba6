// LV4083: a streamed training dataset (LAION's webdataset shards, stdlib `streamed`) trained by a runner that asks the
// train loader for its length (stdlib `streamed_training`): LAVIS's RunnerBase stops with a TypeError (LAVIS#521).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose } from "../harness.js";

/** A dataset entry with BLIP-2's training processors, and what else it writes (`extra`, indented under it). */
const dataset = (builder: string, extra = "") => `  ${builder}:
    vis_processor:
      train:
        name: blip2_image_train
    text_processor:
      train:
        name: blip_caption
${extra}`;
const laion = dataset("laion2B_multi", "    build_info:\n      storage: /data/laion/{00000..00170}.tar\n");
const coco = dataset("coco_caption");
const yaml = (datasets: string, run = "  max_epoch: 10\n") => `model:
  arch: blip2
  model_type: pretrain
  load_pretrained: False
datasets:
${datasets}run:
  task: image_text_pretrain
  lr_sched: linear_warmup_cosine_lr
  init_lr: 1e-4
  min_lr: 1e-5
  batch_size_train: 100
  batch_size_eval: 64
  output_dir: o
  train_splits: ["train"]
${run}`;
const name = "/virtual/exp.yaml";
const streamed = (src: string) => diagnose(src, { name }).diags.filter((d) => d.code === "LV4083");

const t = suite("rule streamedTraining (LV4083)");
t("LAION alone under the default runner: an error at the `run` section naming the DataPipeline failure", () => {
  const found = streamed(yaml(laion));
  assert.is(found.length, 1);
  assert.is(found[0]!.severity, "error");
  assert.is(found[0]!.path, "run.runner");
  assert.match(found[0]!.message, /Dataset `laion2B_multi` streams its `train` split .* but `runner_base` sizes each epoch by the length of the train loader: LAVIS stops with `TypeError: object of type 'DataPipeline' has no len\(\)`/);
  assert.match(found[0]!.hint!, /`runner: runner_iter`.*LAVIS#521/);
  const at = codes(yaml(laion), { name }).find((c) => c.code === "LV4083")!;
  assert.equal([at.line, at.column], [15, 1], "the `run:` key, as the runner is left to its default");
});
t("beside a map-style training dataset: RunnerBase's MultiIterLoader has no length instead", () => {
  const [d] = streamed(yaml(laion + coco));
  assert.match(d!.message, /`TypeError: object of type 'MultiIterLoader' has no len\(\)`/);
});
t("a runner_base the experiment writes is where the error points", () => {
  const src = yaml(laion, "  max_epoch: 10\n  runner: runner_base\n");
  assert.is(streamed(src).length, 1);
  const at = codes(src, { name }).find((c) => c.code === "LV4083")!;
  assert.equal([at.line, at.column], [25, 11], "the value of `runner:`");
});
t("the iteration-based runner, an evaluation-only run, or no streamed dataset: nothing", () => {
  assert.equal(streamed(yaml(laion, "  runner: runner_iter\n  max_iters: 50000\n  iters_per_inner_epoch: 5000\n")), []);
  assert.equal(streamed(yaml(laion, "  max_epoch: 10\n  evaluate: True\n")), []);
  assert.equal(streamed(yaml(coco)), []);
});
t.run();
