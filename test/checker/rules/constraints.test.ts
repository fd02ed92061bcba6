import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose, edit } from "../harness.js";

const t = suite("rule: stdlib constraints (LV4001, LV4002)");
t("min_lr <= init_lr", () => {
  const { diags } = diagnose(edit("min_lr = 0", "min_lr = 1e-3"));
  assert.equal(diags.map((d) => [d.code, d.path]), [["LV4001", "run.min_lr"]]);
  assert.equal(diags[0]!.related.length, 2); // init_lr's value and the check
});
t("warmup_lr <= init_lr", () => {
  assert.equal(codes(edit("min_lr = 0", "min_lr = 0\n    warmup_lr = 1e-3")).map((c) => c.code), ["LV4001"]);
});
t("min_len <= max_len (captioning)", () => {
  const src = `experiment cap {
  task captioning
  model blip_caption(base_coco)
  data coco_caption
  recipe { init_lr = 1e-5 min_lr = 0 max_epoch = 1 batch_size_train = 2 batch_size_eval = 2 output_dir = "o" max_len = 10 min_len = 30 }
}`;
  assert.equal(codes(src, { withPath: true }).map((c) => [c.code, c.path]), [["LV4001", "run.min_len"]]);
  assert.equal(codes(src.replace("min_len = 30", "min_len = 5")), []);
});
t("warm-up that does nothing is a warning", () => {
  const r = codes(edit("min_lr = 0", "min_lr = 0\n    warmup_steps = 1000"), { withPath: true });
  assert.equal(r.map((c) => [c.code, c.path]), [["LV4002", "run.warmup_steps"]]);
  assert.equal(codes(edit("min_lr = 0", "min_lr = 0\n    warmup_steps = 1000\n    warmup_lr = 1e-6")), []);
});
t("an experiment's own check", () => {
  const src = edit("recipe {", "check recipe.batch_size_train <= 16 \"`batch_size_train` must fit on one GPU\"\n  recipe {");
  assert.equal(codes(src).map((c) => c.code), ["LV4001"]);
});
t.run();
