import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, edit } from "../harness.js";

const t = suite("rules: task compatibility, splits, runner_iter, load_finetuned, ignored keys");
t("task-model compatibility (LV4003)", () => {
  assert.equal(codes(edit("task retrieval", "task vqa")).map((c) => c.code).includes("LV4003"), true);
});
t("task-dataset compatibility (LV4004)", () => {
  const src = edit("task retrieval", "task captioning").replace("model blip_retrieval(coco) {", "model blip_caption(base_coco) {");
  assert.equal(codes(src).map((c) => c.code).filter((c) => c.startsWith("LV400")), ["LV4004"]);
});
t("a split no dataset provides (LV4005)", () => {
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    valid_splits = [validation]")), [{ code: "LV4005", line: 19, column: 21 }]);
});
t("captioning evaluates exactly one valid split (LV4006)", () => {
  const src = `experiment cap {
  task captioning
  model blip_caption(base_coco)
  data coco_caption
  recipe { init_lr = 1e-5 min_lr = 0 max_epoch = 1 batch_size_train = 2 batch_size_eval = 2 output_dir = "o" valid_splits = [val, test] }
}`;
  assert.equal(codes(src).map((c) => c.code), ["LV4006"]);
});
t("train_dataset_ratios keys must be dataset names (LV4008)", () => {
  const src = edit("k_test = 256", "k_test = 256\n    runner = runner_iter\n    max_iters = 100\n    iters_per_inner_epoch = 10\n    train_dataset_ratios = { coco = 1.0 }");
  assert.equal(codes(src).map((c) => c.code), ["LV4008"]);
});
t("load_finetuned with no finetuned weights (LV4009)", () => {
  assert.equal(codes(edit("load_finetuned = false", "load_finetuned = true\n    finetuned = null")).map((c) => c.code), ["LV4009"]);
  assert.equal(codes(edit("load_finetuned = false", "load_finetuned = true")), []);
});
t("a key the task ignores is a warning (LV4010)", () => {
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    num_beams = 3"), { withPath: true }).map((c) => [c.code, c.path]), [["LV4010", "run.num_beams"]]);
});
t("lr_decay_rate without linear_warmup_step_lr (LV4010)", () => {
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    lr_decay_rate = 0.9")).map((c) => c.code), ["LV4010"]);
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    lr_decay_rate = 0.9\n    lr_sched = linear_warmup_step_lr")), []);
});
t("duplicate keys (LV2002)", () => {
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    k_test = 128")), [{ code: "LV2002", line: 19, column: 5 }]);
});
t.run();
