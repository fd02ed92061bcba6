import { suite } from "uvu";
import * as assert from "uvu/assert";
import { captioning, edit, graphCodes } from "../harness.js";

const t = suite("graph rule boundInputs (LV5003, LV5004, LV5012)");
t("a complete experiment binds every input", () => {
  assert.equal(graphCodes(captioning), []);
});
t("a training key without a value is reported at the recipe", () => {
  const found = graphCodes(edit(captioning, "    init_lr = 1e-5\n", ""));
  assert.equal(found, [["LV5003", "run.init_lr", 12]]);
});
t("evaluation-only runs do not need training keys", () => {
  const src = edit(edit(captioning, "    init_lr = 1e-5\n", ""), "min_len = 5", "min_len = 5\n    evaluate = true");
  assert.equal(graphCodes(src), []);
});
t("an evaluation split no dataset provides has no data", () => {
  const found = graphCodes(edit(captioning, "test_splits = [test]", "test_splits = [testdev]"));
  assert.equal(found, [["LV5004", "run.test_splits", 24]]);
});
t("an image split without its vis_processor is an error at the dataset's vis_processor", () => {
  const found = graphCodes(edit(captioning, "    vis_processor.eval = blip_image_eval { image_size = 384 }\n", ""));
  assert.equal(found, [
    ["LV5012", "datasets.coco_caption.vis_processor.eval", 7],
    ["LV5012", "datasets.coco_caption.vis_processor.eval", 7],
  ]);
});
t.run();
