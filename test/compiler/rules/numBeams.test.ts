import { suite } from "uvu";
import * as assert from "uvu/assert";
import { captioning, edit, graphCodes, retrievalWithFiles } from "../harness.js";
import { MAX_NUM_BEAMS } from "../../../src/compiler/rules/numBeams.js";

const t = suite("graph rule numBeams (LV5009)");
t("generation settings within limits pass", () => {
  assert.equal(graphCodes(captioning), []);
  assert.equal(graphCodes(edit(captioning, "num_beams = 3", `num_beams = ${MAX_NUM_BEAMS}`)), []);
});
t("num_beams above the documented limit is an error at num_beams", () => {
  assert.equal(graphCodes(edit(captioning, "num_beams = 3", `num_beams = ${MAX_NUM_BEAMS + 1}`)), [["LV5009", "run.num_beams", 18]]);
});
t("VQA with rank inference ignores num_beams; with generate it is checked", () => {
  const vqa = edit(edit(edit(captioning, "task captioning", "task vqa"), "model blip_caption(base_coco)", "model blip_vqa(vqav2)"), "data coco_caption", "data coco_vqa");
  const wide = edit(vqa, "num_beams = 3", "num_beams = 256");
  assert.equal(graphCodes(wide).filter((c) => c[0] === "LV5009"), []);
  assert.equal(graphCodes(edit(wide, "min_len = 5", "min_len = 5\n    inference_method = generate")).filter((c) => c[0] === "LV5009").length, 1);
});
t("tasks that do not generate are not checked", () => {
  assert.equal(graphCodes(retrievalWithFiles("/nonexistent")), []);
});
t.run();
