import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose } from "../harness.js";

const yaml = `model:
  arch: blip_retrieval
  model_type: coco
  load_finetuned: False
datasets:
  coco_retrieval:
    vis_processor:
      train:
        name: "blip_image_train"
        image_size: 384
run:
  task: retrieval
  init_lr: 2e-5
  min_lr: 0
  max_epoch: 6
  batch_size_train: 32
  batch_size_eval: 128
  k_test: 256
  output_dir: "output/ret"
`;
const name = "/virtual/exp.yaml";
const t = suite("YAML input: OmegaConf typing and YAML positions");
t("a valid LAVIS YAML checks clean", () => assert.equal(codes(yaml, { name }), []));
t("2e-5 is a float (OmegaConf), not a string", () => {
  assert.equal(codes(yaml.replace("init_lr: 2e-5", "init_lr: '2e-5'"), { name }).map((c) => c.code), ["LV3001"]);
});
t("diagnostics at the YAML's own line and column, with LAVIS paths", () => {
  assert.equal(codes(yaml.replace("min_lr: 0", "min_lr: 0.1"), { name, withPath: true }), [{ code: "LV4001", line: 14, column: 11, path: "run.min_lr" }]);
});
t("duplicate keys are an error", () => {
  assert.equal(codes(yaml.replace("  min_lr: 0\n", "  min_lr: 0\n  min_lr: 0\n"), { name }), [{ code: "LV1009", line: 15, column: 3 }]);
});
t("a number key twice is LV1009 too, whose hint says LAVIS keeps the later one (OmegaConf checks only text keys)", () => {
  const twice = yaml.replace("  min_lr: 0\n", "  min_lr: 0\n  extra:\n    1: a\n    1: b\n");
  const { diags } = diagnose(twice, { name });
  const dup = diags.find((d) => d.code === "LV1009");
  assert.ok(dup, diags.map((d) => d.code).join());
  assert.match(dup!.hint ?? "", /only text keys for duplicates, so in LAVIS the later value silently wins/);
  const text = diagnose(yaml.replace("  min_lr: 0\n", "  min_lr: 0\n  min_lr: 0\n"), { name }).diags.find((d) => d.code === "LV1009");
  assert.match(text!.hint ?? "", /OmegaConf rejects duplicate keys/);
});
t("an unknown processor parameter, deep in datasets", () => {
  const { diags } = diagnose(yaml.replace("image_size: 384", "image_sise: 384"), { name });
  assert.equal(diags.map((d) => d.path), ["datasets.coco_retrieval.vis_processor.train.image_sise"]);
});
t("a processor parameter of the wrong type, in YAML and through --options (LV3001)", () => {
  assert.equal(codes(yaml.replace("image_size: 384", "image_size: abc"), { name, withPath: true }), [{ code: "LV3001", line: 10, column: 21, path: "datasets.coco_retrieval.vis_processor.train.image_size" }]);
  assert.equal(codes(yaml, { name, options: ["datasets.coco_retrieval.vis_processor.train.image_size=abc"] }).map((c) => c.code), ["LV3001"]);
});
t("--options in both of LAVIS's spellings, and --set", () => {
  const bad = (o: { sets?: string[]; options?: string[] }) => codes(yaml, { name, ...o }).map((c) => c.code);
  assert.equal(bad({ options: ["run.min_lr=0.1"] }), ["LV4001"]);
  assert.equal(bad({ options: ["run.min_lr", "0.1"] }), ["LV4001"]);
  assert.equal(bad({ sets: ["recipe.min_lr=0.1"] }), ["LV4001"]);
  assert.equal(bad({ sets: ["recipe.min_lr=0"] }), []);
});
t("a YAML syntax error is located", () => {
  assert.equal(codes("run:\n  task: [retrieval\n", { name }).map((c) => c.code), ["LV1008"]);
});
t("top-level sections LAVIS drops are a warning", () => {
  assert.equal(codes(yaml + "preprocess:\n  x: 1\n", { name }).map((c) => c.code), ["LV2021"]);
});
t.run();
