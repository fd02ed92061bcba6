// Evaluation never scores a subset silently (issue 18 §1): each task's metric refuses items without a prediction or
// without references, counting them, as LAVIS's own asserts do.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { vqaAccuracy } from "../../src/runtime/metrics/vqaMetrics.js";
import { captionMetrics } from "../../src/runtime/metrics/captionMetrics.js";
import { retrievalMetrics } from "../../src/runtime/metrics/retrievalMetrics.js";
import { classificationMetrics } from "../../src/runtime/metrics/classificationMetrics.js";
import { DataError } from "../../src/runtime/data/dataError.js";

function refuses(f: () => unknown, pattern: RegExp): void {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DataError && e.code === "incomplete-evaluation", String(e));
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable("scored a subset");
}

const ten = (a: string) => Array.from({ length: 10 }, () => a);

test("VQA: an unanswered question, a prediction for a question without ground truth, a question without answers", () => {
  const gt = new Map([["1", { answers: ten("red") }], ["2", { answers: ten("yes") }], ["3", { answers: ten("2") }]]);
  assert.is(vqaAccuracy(new Map([["1", "red"], ["2", "yes"], ["3", "2"]]), gt).metrics["agg_metrics"], 100);
  refuses(() => vqaAccuracy(new Map([["1", "red"]]), gt), /^VQA would score only part of the split: 2 of 3 questions have no prediction \("2", "3"\)\./);
  refuses(() => vqaAccuracy(new Map([["1", "red"], ["2", "yes"], ["3", "2"], ["77", "x"]]), gt), /1 of 4 questions have no references to score against \("77"\)/);
  refuses(() => vqaAccuracy(new Map([["1", "red"]]), new Map([["1", { answers: [] }]])), /1 of 1 questions have no references/);
});

test("captioning: an image without a caption or without references", () => {
  assert.ok(captionMetrics(["a red square"], [["a red square"]])["CIDEr"]! >= 0);
  refuses(() => captionMetrics(["a"], [["a"], ["b"]]), /1 of 2 images have no prediction \(1\)/);
  refuses(() => captionMetrics(["a", "b", "c"], [["a"], [], ["c"]]), /1 of 3 images have no references to score against \(1\)/);
});

test("retrieval: an image without captions, a caption without an image, a missing row of scores", () => {
  const i2t = [Float32Array.from([0.9, 0.1]), Float32Array.from([0.2, 0.8])];
  const t2i = [Float32Array.from([0.9, 0.1]), Float32Array.from([0.2, 0.8])];
  assert.is(retrievalMetrics(i2t, t2i, [0, 1], [[0], [1]])["txt_r1"], 100);
  refuses(() => retrievalMetrics(i2t, t2i, [0, 0], [[0, 1], []]), /retrieval \(image to text\) would score only part of the split: 1 of 2 images have no references to score against \(1\)\. lavisc scores complete splits only \(LAVIS would score an image without captions as a miss/);
  refuses(() => retrievalMetrics(i2t, t2i, [0, 5], [[0], [1]]), /1 of 2 captions have no references to score against \(1\)/);
  refuses(() => retrievalMetrics(i2t.slice(0, 1), t2i, [0, 1], [[0], [1]]), /1 of 2 images have no prediction \(1\)/);
  refuses(() => retrievalMetrics(i2t, [t2i[0]!, Float32Array.from([0.5])], [0, 1], [[0], [1]]), /1 of 2 captions have no prediction \(1\)/);
});

test("classification: an instance of the split without a prediction, a record without a target", () => {
  const recs = [{ instance_id: "0", prediction: 1, target: 1 }, { instance_id: "1", prediction: 0, target: 1 }];
  assert.is(classificationMetrics(recs, ["0", "1"]).acc, 0.5);
  refuses(() => classificationMetrics(recs, ["0", "1", "2"]), /1 of 3 instances have no prediction \("2"\)/);
  refuses(() => classificationMetrics([...recs, { instance_id: "2", prediction: 1, target: Number.NaN }]), /1 of 3 instances have no references to score against \("2"\)/);
});

test("an empty split has no score, not a score of 0: every task's metric refuses it", () => {
  const none = /has no \w+s to score: the split has no records, and a metric of nothing is no score \(not 0\)/;
  refuses(() => vqaAccuracy(new Map(), new Map()), none);
  refuses(() => captionMetrics([], []), none);
  refuses(() => retrievalMetrics([], [], [], []), none);
  refuses(() => classificationMetrics([], []), none);
});

test.run();
