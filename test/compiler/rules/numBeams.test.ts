import { suite } from "uvu";
import * as assert from "uvu/assert";
import { captioning, edit, graphCodes, retrievalWithFiles } from "../harness.js";
import { MAX_NUM_BEAMS } from "../../../src/compiler/rules/numBeams.js";

const t = suite("graph rule numBeams (LV5009, LV5010)");
t("generation settings within limits pass", () => {
  assert.equal(graphCodes(captioning), []);
  assert.equal(graphCodes(edit(captioning, "num_beams = 3", `num_beams = ${MAX_NUM_BEAMS}`)), []);
});
t("num_beams above the documented limit is an error at num_beams", () => {
  assert.equal(graphCodes(edit(captioning, "num_beams = 3", `num_beams = ${MAX_NUM_BEAMS + 1}`)), [["LV5009", "run.num_beams", 18]]);
});
t("min_len above max_len is an error at min_len", () => {
  assert.equal(graphCodes(edit(captioning, "min_len = 5", "min_len = 25")), [["LV5010", "run.min_len", 20]]);
});
t("tasks that do not generate are not checked", () => {
  assert.equal(graphCodes(retrievalWithFiles("/nonexistent")), []);
});
t.run();
