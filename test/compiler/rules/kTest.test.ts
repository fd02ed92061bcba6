import { suite } from "uvu";
import * as assert from "uvu/assert";
import { edit, graphCodes, retrievalWithFiles } from "../harness.js";
import { writeRetrievalSplits } from "./fixtures.js";

const t = suite("graph rule kTest (LV5007)");
t("k_test within the local evaluation splits passes", () => {
  const dir = writeRetrievalSplits({ train: 8, val: 3, test: 5 });
  assert.equal(graphCodes(retrievalWithFiles(dir)), []);
});
t("k_test above the images of a local split is an error at k_test", () => {
  const dir = writeRetrievalSplits({ train: 8, val: 2, test: 5 });
  assert.equal(graphCodes(retrievalWithFiles(dir)), [["LV5007", "run.k_test", 21]]);
});
t("k_test above the texts of a split counts captions, not images", () => {
  const dir = writeRetrievalSplits({ train: 8, val: 1, test: 1 }, 2);
  const src = edit(retrievalWithFiles(dir), "k_test = 3", "k_test = 1");
  assert.equal(graphCodes(src), []);
});
t("annotation files that are not local are not checked", () => {
  assert.equal(graphCodes(edit(retrievalWithFiles("/nonexistent"), "k_test = 3", "k_test = 100000")), []);
});
t.run();
