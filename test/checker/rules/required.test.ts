import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose, edit } from "../harness.js";

const t = suite("rule: required values (LV3003) and missing sections (LV2018)");
t("init_lr is required to train", () => {
  const { diags } = diagnose(edit("    init_lr = 2e-5\n", ""));
  assert.equal(diags.map((d) => [d.code, d.path]), [["LV3003", "run.init_lr"]]);
});
t("init_lr is not required when only evaluating", () => {
  assert.equal(codes(edit("    init_lr = 2e-5\n", "    evaluate = true\n").replace("load_finetuned = false", "load_finetuned = true")), []);
});
t("k_test is required for a retrieval model", () => {
  assert.equal(codes(edit("    k_test = 256\n", ""), { withPath: true }).map((c) => [c.code, c.path]), []);
  // coco_retrieval gets the documented default 256; flickr30k has none
  const flickr = edit("    k_test = 256\n", "").replace("data coco_retrieval", "data flickr30k").replace("blip_retrieval(coco)", "blip_retrieval(flickr)");
  assert.equal(codes(flickr, { withPath: true }).map((c) => [c.code, c.path]), [["LV3003", "run.k_test"]]);
});
t("runner_iter needs max_iters and iters_per_inner_epoch", () => {
  const r = codes(edit("k_test = 256", "k_test = 256\n    runner = runner_iter"), { withPath: true }).map((c) => [c.code, c.path]);
  // LV4010: the case's max_epoch, which runner_iter ignores.
  assert.equal(r, [["LV3003", "run.max_iters"], ["LV3003", "run.iters_per_inner_epoch"], ["LV4010", "run.max_epoch"]]);
});
t("an experiment without task, model or data (LV2018)", () => {
  assert.equal(codes("experiment e { recipe { output_dir = \"o\" } }").map((c) => c.code).filter((c) => c === "LV2018").length, 3);
});
t.run();
