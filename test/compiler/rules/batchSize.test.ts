import { suite } from "uvu";
import * as assert from "uvu/assert";
import { edit, graphCodes, retrievalWithFiles } from "../harness.js";
import { writeRetrievalSplits } from "./fixtures.js";

const t = suite("graph rule batchSize (LV5008, LV5011)");
t("positive batch sizes and a train split that fills a batch pass", () => {
  assert.equal(graphCodes(retrievalWithFiles(writeRetrievalSplits({ train: 4, val: 3, test: 3 }))), []);
});
t("a train split smaller than batch_size_train runs no step (drop_last)", () => {
  const dir = writeRetrievalSplits({ train: 3, val: 3, test: 3 });
  assert.equal(graphCodes(retrievalWithFiles(dir)), [["LV5011", "run.batch_size_train", 19]]);
});
t("a batch size that is not positive is an error", () => {
  const src = edit(retrievalWithFiles("/nonexistent"), "batch_size_eval = 8", "batch_size_eval = 0");
  assert.equal(graphCodes(src), [["LV5008", "run.batch_size_eval", 20]]);
});
t("an absent value is not judged: the run spec's stand-in (0 for accum_grad_iters) is no value", () => {
  // The base did not load (LV2014), so the recipe has no defaults and every run value is absent; LV5003 stays quiet
  // (the base may hold them), and LV5008 must not report the stand-in as "it is 0".
  assert.equal(graphCodes('experiment x extends "nope.lv" {\n}\n'), []);
});
t.run();
