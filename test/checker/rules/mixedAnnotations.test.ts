// LV4078: annotations of the experiment's own for some splits of a dataset, while a split the run evaluates still
// reads the builder's default annotations (LAVIS#720): OmegaConf merges the two split by split.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose } from "../harness.js";

const yaml = (annotations: string, run = '  valid_splits: ["val"]\n  test_splits: ["test"]\n') => `model:
  arch: blip_retrieval
  model_type: coco
datasets:
  coco_retrieval:
    build_info:
      annotations:
${annotations}run:
  task: retrieval
  init_lr: 1e-5
  max_epoch: 1
  batch_size_train: 4
  batch_size_eval: 4
  output_dir: o
${run}`;
const mixed = (src: string, name = "/virtual/exp.yaml") => diagnose(src, { name }).diags.filter((d) => d.code === "LV4078");
const train = "        train:\n          url: /data/my_train.json\n          storage: /data/my_train.json\n";

const t = suite("rule mixedAnnotations (LV4078)");
t("own training annotations, evaluated splits from the default: one warning naming them, at the user's split", () => {
  const found = mixed(yaml(train));
  assert.is(found.length, 1);
  assert.is(found[0]!.path, "datasets.coco_retrieval.build_info.annotations");
  assert.match(found[0]!.message, /has annotations of its own for `train`, but splits `val` and `test`, which the run evaluates, still read the builder's default annotations/);
  assert.equal(found[0]!.related.map((r) => r.message), ["evaluated here (run.valid_splits)", "evaluated here (run.test_splits)"]);
  assert.match(mixed(yaml(train, '  valid_splits: ["val"]\n'))[0]!.message, /but split `val`, which the run evaluates, still reads/);
  const at = codes(yaml(train), { name: "/virtual/exp.yaml" }).find((c) => c.code === "LV4078")!;
  assert.equal([at.line, at.column], [8, 9], "the `train:` key");
});
t("every evaluated split the user's own, or only its storage changed: nothing", () => {
  const all = train + ["val", "test"].map((s) => `        ${s}:\n          url: /data/my_${s}.json\n          storage: /data/my_${s}.json\n`).join("");
  assert.equal(mixed(yaml(all)), []);
  assert.equal(mixed(yaml(train + "        val:\n          storage: /data/val.json\n        test:\n          storage: /data/test.json\n")), []);
  // Only the storage of the training split moved: the default's data in another place, not the user's own.
  assert.equal(mixed(yaml("        train:\n          storage: /data/coco_karpathy_train.json\n")), []);
});
t("no annotations of the user's own, or no evaluated split from the default: nothing", () => {
  assert.equal(mixed(yaml(train).replace(/    build_info:[\s\S]*?(?=run:)/, "    {}\n")), [], "no build_info of the user's");
  assert.equal(mixed(yaml(train, "  valid_splits: []\n")), [], "training only");
});
t.run();
