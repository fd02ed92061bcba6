import { suite } from "uvu";
import * as assert from "uvu/assert";
import { captioning, edit, graphCodes } from "../harness.js";

const t = suite("graph rule boundInputs (LV5003, LV5004)");
t("a complete experiment binds every input", () => {
  assert.equal(graphCodes(captioning), []);
});
t("a training key without a value is reported at the recipe", () => {
  const found = graphCodes(edit(captioning, "    init_lr = 1e-5\n", ""));
  assert.equal(found, [["LV5003", "run.init_lr", 12]]);
});
t("linear_warmup_step_lr needs lr_decay_rate", () => {
  assert.equal(graphCodes(edit(captioning, "min_lr = 0", "min_lr = 0\n    lr_sched = linear_warmup_step_lr")).map((c) => c[1]), ["run.lr_decay_rate"]);
  assert.equal(graphCodes(edit(captioning, "min_lr = 0", "min_lr = 0\n    lr_sched = linear_warmup_step_lr\n    lr_decay_rate = 0.9")), []);
});
t("evaluation-only runs do not need training keys", () => {
  const src = edit(edit(captioning, "    init_lr = 1e-5\n", ""), "min_len = 5", "min_len = 5\n    evaluate = true");
  assert.equal(graphCodes(src), []);
});
t("an evaluation split no dataset provides has no data", () => {
  const found = graphCodes(edit(captioning, "test_splits = [test]", "test_splits = [testdev]"));
  assert.equal(found, [["LV5004", "run.test_splits", 24]]);
});
t.run();
