import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, base, diagnose, edit } from "../harness.js";

const t = suite("rule: unknownKey (LV2001)");
t("the base experiment is clean", () => assert.equal(codes(base), []));
t("an unknown recipe key, with the LAVIS name suggested", () => {
  assert.equal(codes(edit("max_epoch = 6", "max_epoch = 6\n    epochs = 6")), [{ code: "LV2001", line: 16, column: 5 }]);
});
t("an unknown model key", () => {
  assert.equal(codes(edit("load_finetuned = false", "load_finetuned = false\n    queue_sise = 10"), { withPath: true }), [{ code: "LV2001", line: 5, column: 5, path: "model.queue_sise" }]);
});
t("a known model key of the arch's default config passes", () => {
  assert.equal(codes(edit("load_finetuned = false", "load_finetuned = false\n    queue_size = 6400")), []);
});
t("an unknown processor parameter", () => {
  assert.equal(codes(edit("blip_image_train { image_size = 384 }", "blip_image_train { image_size = 384, min_scal = 0.5 }"), { withPath: true }), [
    { code: "LV2001", line: 7, column: 64, path: "datasets.coco_retrieval.vis_processor.train.min_scal" },
  ]);
});
t("an unknown dataset key", () => {
  assert.equal(codes(edit("text_processor.eval = blip_caption", "text_processor.eval = blip_caption\n    data_typ = \"images\"")), [{ code: "LV2001", line: 11, column: 5 }]);
});
t("a processor section's slot other than train and eval (LAVIS builds those two and reads no other), with did-you-mean", () => {
  const found = codes(edit("text_processor.eval = blip_caption", "text_processor.evl = blip_caption"), { withPath: true });
  assert.equal(found.map((c) => [c.code, c.path]), [["LV2001", "datasets.coco_retrieval.text_processor.evl"]]);
  const { diags } = diagnose(edit("text_processor.eval = blip_caption", "text_processor.evl = blip_caption"));
  assert.match(diags[0]!.hint ?? "", /Did you mean `eval`\?/);
  assert.equal(codes(edit("text_processor.eval = blip_caption", "text_processor.eval = blip_caption\n    kw_processor.inp_vis_processor = blip_image_eval")).filter((c) => c.code === "LV2001"), [], "kw_processor's keys are free names");
});
t.run();
