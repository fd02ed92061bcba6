import { suite } from "uvu";
import * as assert from "uvu/assert";
import { captioning, compile, edit, graphCodes } from "../harness.js";

const t = suite("graph rule boundInputs (LV5003, LV5004, LV5012)");
t("a complete experiment binds every input", () => {
  assert.equal(graphCodes(captioning), []);
});
t("a training key without a value is reported at the recipe", () => {
  const found = graphCodes(edit(captioning, "    init_lr = 1e-5\n", ""));
  assert.equal(found, [["LV5003", "run.init_lr", 12]]);
});
t("evaluation-only runs do not need training keys", () => {
  // With a vocab_file: the tfjs engine's tokenizer needs one when nothing is trained (LV5018, evaluatedWeights.ts).
  const src = edit(edit(edit(captioning, "    init_lr = 1e-5\n", ""), "min_len = 5", "min_len = 5\n    evaluate = true"), "load_finetuned = false", 'load_finetuned = false\n    vocab_file = "/v/vocab.txt"');
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
t("an empty train_splits in a training run: LV5003, with what LAVIS's runner would do instead (the stdlib's fact)", () => {
  const c = compile(edit(captioning, "train_splits = [train]", "train_splits = []"));
  const d = c.graphDiagnostics.find((x) => x.code === "LV5003" && x.path === "run.train_splits");
  assert.ok(d, c.graphDiagnostics.map((x) => x.code).join(" "));
  assert.match(d!.hint!, /^LAVIS would not stop here: RunnerBase\.train still trains on the `train` split, unshuffled\. List the training splits/);
});
t.run();
