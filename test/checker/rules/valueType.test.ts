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
t("a bare name that is a key of the experiment: the hint gives the reference that reads it (and following it checks clean)", () => {
  const { diags } = diagnose(edit("k_test = 256", "k_test = 256\n    valid_splits = [val]\n    test_splits = valid_splits"));
  assert.equal(diags.map((d) => [d.code, d.path]), [["LV3001", "run.test_splits"]]);
  assert.is(diags[0]!.hint, "`valid_splits` here is a name, not a reference; write `recipe.valid_splits` to use the value of that key.");
  assert.equal(codes(edit("k_test = 256", "k_test = 256\n    valid_splits = [val]\n    test_splits = recipe.valid_splits")), []);
  assert.match(diagnose(edit("k_test = 256", "k_test = 256\n    test_splits = val")).diags[0]!.hint!, /^Write a list: \[val\]\.$/, "a name that is no key: a list of it");
  const yaml = `model:\n  arch: blip_retrieval\n  model_type: coco\ndatasets:\n  coco_retrieval: {}\nrun:\n  task: retrieval\n  k_test: 16\n  valid_splits: [val]\n  test_splits: valid_splits\n`;
  const y = diagnose(yaml, { name: "/virtual/exp.yaml" }).diags.find((d) => d.code === "LV3001")!;
  assert.is(y.hint, "`valid_splits` here is a string; write `${run.valid_splits}` to use the value of that key.");
  assert.equal(diagnose(yaml.replace("test_splits: valid_splits", "test_splits: ${run.valid_splits}"), { name: "/virtual/exp.yaml" }).diags.filter((d) => d.code === "LV3001"), []);
});
t("a number made a string by interpolations: the hint says so, not that it is quoted", () => {
  const yaml = `model:\n  arch: blip_retrieval\n  model_type: coco\ndatasets:\n  coco_retrieval: {}\nrun:\n  task: retrieval\n  k_test: 16\n  num_beams: 3\n  max_epoch: \${run.num_beams}\${run.num_beams}\n`;
  const y = diagnose(yaml, { name: "/virtual/exp.yaml" }).diags.find((d) => d.code === "LV3001")!;
  assert.is(y.message, "`run.max_epoch` expects an integer but got the string \"33\".");
  assert.is(y.hint, "References joined to each other or to text make a string in OmegaConf; only a value that is one reference alone keeps the type of what it reads (`${run.num_beams}`).");
  const lv = diagnose(edit("max_epoch = 6", "max_epoch = \"${k_test}\"")).diags.find((d) => d.code === "LV3001")!;
  assert.is(lv.hint, "A string is text, the references in it included; to keep the type of `run.k_test`, write a reference without quotes (`recipe.k_test`).");
  assert.match(diagnose(edit("max_epoch = 6", "max_epoch = \"6\"")).diags[0]!.hint!, /^The value is quoted/, "a quoted number still is");
});
t.run();
