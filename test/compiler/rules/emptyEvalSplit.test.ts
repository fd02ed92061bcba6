import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compile, graphCodes, retrievalWithFiles } from "../harness.js";
import { writeRetrievalSplits } from "./fixtures.js";

const t = suite("graph rule emptyEvalSplit (LV5015)");
const lv5015 = (src: string) => graphCodes(src).filter((c) => c[0] === "LV5015");
t("evaluated splits with records pass", () => {
  assert.equal(lv5015(retrievalWithFiles(writeRetrievalSplits({ train: 4, val: 3, test: 3 }))), []);
});
t("an empty validation or test split (annotation file []) is an error at the run's split list", () => {
  assert.equal(lv5015(retrievalWithFiles(writeRetrievalSplits({ train: 4, val: 0, test: 3 }))), [["LV5015", "run.valid_splits", 24]]);
  const src = retrievalWithFiles(writeRetrievalSplits({ train: 4, val: 3, test: 0 }));
  assert.equal(lv5015(src), [["LV5015", "run.test_splits", 25]]);
  const d = compile(src).graphDiagnostics.find((x) => x.code === "LV5015")!;
  assert.match(d.message, /Split `test` of `coco_retrieval`, which the run evaluates \(`test_splits`\), has no records: its metrics would be computed on nothing/);
});
t("an evaluation-only run's empty test split too; an unknown size (not local) is not judged", () => {
  const dir = writeRetrievalSplits({ train: 4, val: 3, test: 0 });
  assert.equal(lv5015(retrievalWithFiles(dir, "    evaluate = true\n")).map((c) => c[1]), ["run.test_splits"]);
  assert.equal(lv5015(retrievalWithFiles("/nonexistent")), []);
});
t.run();
