import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compile, edit, graphCodes, retrievalWithFiles } from "../harness.js";
import { largestWorldFilling } from "../../../src/compiler/rules/batchSize.js";
import { writeRetrievalSplits } from "./fixtures.js";

const t = suite("graph rule batchSize (LV5008, LV5011)");
t("positive batch sizes and a train split that fills a batch pass", () => {
  assert.equal(graphCodes(retrievalWithFiles(writeRetrievalSplits({ train: 4, val: 3, test: 3 }))), []);
});
t("a train split smaller than batch_size_train runs no step (drop_last)", () => {
  const dir = writeRetrievalSplits({ train: 3, val: 3, test: 3 });
  assert.equal(graphCodes(retrievalWithFiles(dir)), [["LV5011", "run.batch_size_train", 19]]);
});
t("with world_size replicas each one's shard, ceil(N / world_size), must fill a batch (DistributedSampler)", () => {
  const dir = writeRetrievalSplits({ train: 9, val: 3, test: 3 });
  // 9 records in batches of 4 fill one batch alone and on 2 replicas (ceil(9 / 2) = 5), not on 3 (ceil(9 / 3) = 3).
  assert.equal(graphCodes(retrievalWithFiles(dir, "    world_size = 2\n")), []);
  const src = retrievalWithFiles(dir, "    world_size = 3\n");
  assert.equal(graphCodes(src), [["LV5011", "run.batch_size_train", 19]]);
  const d = compile(src).graphDiagnostics[0]!;
  assert.match(d.message, /has 9 records, and with world_size = 3 each replica's DistributedSampler shard has ceil\(9 \/ 3\) = 3, fewer than batch_size_train = 4/);
  assert.match(d.hint ?? "", /set world_size to 2 or fewer/);
});
t("the largest world_size whose shards fill a batch", () => {
  for (const [records, batch] of [[199, 16], [9, 4], [4, 2], [4, 3], [5, 1], [3, 4]] as const) {
    const w = largestWorldFilling(records, batch);
    if (w) assert.ok(Math.ceil(records / w) >= batch, `${records}/${w}`);
    assert.ok(Math.ceil(records / (w + 1)) < batch || w + 1 > records, `${records}/${w + 1}`);
  }
  assert.is(largestWorldFilling(199, 16), 13);
  assert.is(largestWorldFilling(3, 4), 0);
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
