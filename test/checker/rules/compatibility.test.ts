import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, edit, render } from "../harness.js";

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
  // The graph's rules run in check too: the written split list reaches coco_caption, whose defaults give no vis_processor.
  assert.equal(codes(src).map((c) => c.code), ["LV5012", "LV5012", "LV4006"]);
});
t("train_dataset_ratios keys must be dataset names (LV4008)", () => {
  const src = edit("k_test = 256", "k_test = 256\n    runner = runner_iter\n    max_iters = 100\n    iters_per_inner_epoch = 10\n    train_dataset_ratios = { coco = 1.0 }");
  // LV4010: the case's max_epoch, which runner_iter ignores.
  assert.equal(codes(src).map((c) => c.code), ["LV4010", "LV4008"]);
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
t("max_epoch under runner_iter, which derives it from max_iters (LV4010, with what RunnerIter uses instead)", () => {
  const iter = "k_test = 256\n    runner = runner_iter\n    max_iters = 36\n    iters_per_inner_epoch = 12";
  const found = codes(edit("k_test = 256", iter), { withPath: true });
  assert.equal(found.map((c) => [c.code, c.path]), [["LV4010", "run.max_epoch"]]);
  const d = render(edit("k_test = 256", iter));
  assert.match(d, /`max_epoch` is ignored by runner `runner_iter`/);
  assert.match(d, /its max_epoch is int\(max_iters \/ iters_per_inner_epoch\)/);
  // runner_base reads it.
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    runner = runner_base")), []);
});
t("world_size above 1 with distributed false: one replica on lavisc, the launcher's world on LAVIS (LV4002 naming both)", () => {
  const found = codes(edit("k_test = 256", "k_test = 256\n    world_size = 2\n    distributed = false"), { withPath: true });
  assert.equal(found.map((c) => c.code), ["LV4002"]);
  assert.match(render(edit("k_test = 256", "k_test = 256\n    world_size = 2\n    distributed = false")), /`world_size` is more than 1 but `distributed` is false: lavisc's tfjs engine trains one replica/);
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    world_size = 2\n    distributed = true")), []);
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    world_size = 1\n    distributed = false")), []);
});
t("duplicate keys (LV2002)", () => {
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    k_test = 128")), [{ code: "LV2002", line: 19, column: 5 }]);
});
/** lavisc's task feature_extraction (stdlib/lavisc_feature_extraction.lv) on a LAVIS dataset. */
const features = (arch: string) => `experiment feat {
  task feature_extraction
  model ${arch} {
    load_finetuned = false
  }
  data coco_retrieval {
    vis_processor.eval = blip_image_eval { image_size = 224 }
    text_processor.eval = blip_caption
  }
  recipe {
    batch_size_eval = 64
    output_dir = "o"
  }
}`;
t("feature_extraction: blip_feature_extractor and blip_retrieval serve it, on any dataset; other archs get LV4003 naming them", () => {
  assert.equal(codes(features("blip_feature_extractor(base)")), []);
  // blip_retrieval(coco) expects 384-pixel images: the graph's LV5005, which check reports too.
  assert.equal(codes(features("blip_retrieval(coco)")).map((c) => c.code), ["LV5005"]);
  const wrong = render(features("blip_caption(base_coco)"));
  assert.match(wrong, /LV4003\]: Task `feature_extraction` cannot use model `blip_caption`/);
  assert.match(wrong, /Architectures for `feature_extraction`: `blip_retrieval`, `blip_feature_extractor`/);
  // The feature extractor serves no LAVIS task; the hint names the task it does serve.
  const src = features("blip_feature_extractor(base)").replace("task feature_extraction", "task retrieval").replace("batch_size_eval = 64", "batch_size_eval = 64\n    evaluate = true\n    k_test = 16");
  assert.match(render(src), /LV4003\][\s\S]*`blip_feature_extractor` serves `feature_extraction`/);
});
t("feature_extraction only evaluates (LV4001 when evaluate is false)", () => {
  const src = features("blip_feature_extractor(base)").replace("batch_size_eval = 64", "batch_size_eval = 64\n    evaluate = false\n    init_lr = 1e-5\n    min_lr = 0\n    max_epoch = 1\n    batch_size_train = 2");
  assert.equal(codes(src, { withPath: true }).map((c) => [c.code, c.path]), [["LV4001", "run.evaluate"]]);
});
t.run();
