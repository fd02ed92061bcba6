import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose, edit } from "../harness.js";

const t = suite("rule: valueType (LV3001, LV3002, LV3004)");
t("a string where a number is expected (LV3001), with a hint about quotes", () => {
  const { diags } = diagnose(edit("init_lr = 2e-5", "init_lr = \"2e-5\""));
  assert.equal(diags.map((d) => [d.code, d.path]), [["LV3001", "run.init_lr"]]);
  assert.match(diags[0]!.hint!, /quoted/);
});
t("an int accepted for a float", () => assert.equal(codes(edit("min_lr = 0", "min_lr = 0")), []));
t("a float where an int is expected (LV3001)", () => {
  assert.equal(codes(edit("max_epoch = 6", "max_epoch = 6.5")), [{ code: "LV3001", line: 15, column: 17 }]);
});
t("an integral float for an int passes (OmegaConf reads 2e4 as a float; LAVIS calls int())", () => {
  assert.equal(codes(edit("max_epoch = 6", "max_epoch = 6.0")), []);
});
t("out of range (LV3002)", () => {
  assert.equal(codes(edit("batch_size_train = 32", "batch_size_train = 0")), [{ code: "LV3002", line: 16, column: 24 }]);
});
t("negative learning rate (LV3002)", () => {
  assert.equal(codes(edit("init_lr = 2e-5", "init_lr = -2e-5")).map((c) => c.code), ["LV3002"]);
});
t("null where not allowed (LV3004)", () => {
  assert.equal(codes(edit("max_epoch = 6", "max_epoch = null")).map((c) => c.code), ["LV3004"]);
});
t("a list where a list is expected; a scalar is not (LV3001)", () => {
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    valid_splits = test")).map((c) => c.code), ["LV3001"]);
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    valid_splits = [val, test]")), []);
});
t("a bool where a bool is expected", () => {
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    amp = \"yes\"")).map((c) => c.code), ["LV3001"]);
});
t("a processor's parameters against their declared types and ranges (LV3001, LV3002)", () => {
  const lv = codes(edit("blip_image_train { image_size = 384 }", "blip_image_train { image_size = \"abc\", min_scale = 7 }"), { withPath: true });
  assert.equal(lv.map((c) => [c.code, c.path]), [
    ["LV3001", "datasets.coco_retrieval.vis_processor.train.image_size"],
    ["LV3002", "datasets.coco_retrieval.vis_processor.train.min_scale"],
  ]);
  assert.equal(codes(edit("text_processor.eval = blip_caption", "text_processor.eval = blip_caption { max_words = \"lots\" }")).map((c) => c.code), ["LV3001"]);
  assert.equal(codes(edit("blip_image_train { image_size = 384 }", "blip_image_train { image_size = 384, min_scale = 0.6 }")), [], "valid parameters");
});
t.run();
