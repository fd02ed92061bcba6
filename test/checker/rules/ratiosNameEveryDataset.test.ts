// LV4084: train_dataset_ratios that leave a dataset out, under RunnerIter, which raises "Datasets with the following
// split names are not expected" for it before training (stdlib runner_iter `dataset_ratios`).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose } from "../harness.js";

const dataset = (builder: string) => `  ${builder}:
    vis_processor:
      train:
        name: blip_image_train
    text_processor:
      train:
        name: blip_caption
`;
const yaml = (ratios: string, runner = "runner_iter") => `model:
  arch: blip_caption
  model_type: base_coco
datasets:
${dataset("coco_caption")}${dataset("sbu_caption")}run:
  task: captioning
  runner: ${runner}
  max_iters: 100
  iters_per_inner_epoch: 50
  lr_sched: linear_warmup_cosine_lr
  init_lr: 1e-5
  min_lr: 0
  batch_size_train: 8
  batch_size_eval: 8
  output_dir: o
  train_splits: ["train"]
${ratios}`;
const name = "/virtual/exp.yaml";
const found = (src: string) => diagnose(src, { name }).diags.filter((d) => d.code === "LV4084");

const t = suite("rule ratiosNameEveryDataset (LV4084)");
t("a dataset the ratios leave out: an error at train_dataset_ratios naming it and RunnerIter's ValueError", () => {
  const d = found(yaml("  train_dataset_ratios: {coco_caption: 1.0}\n"));
  assert.is(d.length, 1);
  assert.is(d[0]!.severity, "error");
  assert.is(d[0]!.path, "run.train_dataset_ratios");
  assert.match(d[0]!.message, /no ratio to dataset `sbu_caption`, and `runner_iter` wants one for every dataset .*`ValueError: Datasets with the following split names are not expected`/);
  assert.match(d[0]!.hint!, /Give `sbu_caption` a ratio/);
  const at = codes(yaml("  train_dataset_ratios: {coco_caption: 1.0}\n"), { name }).find((c) => c.code === "LV4084")!;
  assert.equal([at.line, at.column], [31, 3], "the train_dataset_ratios key");
});
t("every dataset named, or no ratios: nothing", () => {
  assert.equal(found(yaml("  train_dataset_ratios: {coco_caption: 1.0, sbu_caption: 2.0}\n")), []);
  assert.equal(found(yaml("")), []);
});
t("a ratio that names no dataset is LAVIS's first failure (LV4008); LV4084 waits for the names to be right", () => {
  const src = yaml("  train_dataset_ratios: {coco_caption: 1.0, sbu_captions: 2.0}\n");
  assert.ok(diagnose(src, { name }).diags.some((d) => d.code === "LV4008"));
  assert.equal(found(src), []);
});
t("runner_base (no `dataset_ratios` fact: it concatenates and ignores the ratios, LV4010) is not judged", () => {
  assert.equal(found(yaml("  train_dataset_ratios: {coco_caption: 1.0}\n", "runner_base").replace("  max_iters: 100\n  iters_per_inner_epoch: 50\n", "  max_epoch: 1\n")), []);
});
t.run();
