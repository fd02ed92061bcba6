import { suite } from "uvu";
import * as assert from "uvu/assert";
import { argmaxRows, classificationMetrics, dedupeByInstance } from "../../src/runtime/metrics/classificationMetrics.js";

const t = suite("classification metrics (LAVIS MultimodalClassificationTask)");

t("acc is the fraction of predictions equal to the target, and agg_metrics equals it", () => {
  const records = [
    { instance_id: "0", prediction: 3, target: 3 },
    { instance_id: "1", prediction: 1, target: 2 },
    { instance_id: "2", prediction: 0, target: 0 },
    { instance_id: "3", prediction: 9, target: 4 },
  ];
  assert.equal(classificationMetrics(records), { agg_metrics: 0.5, acc: 0.5 });
  assert.equal(classificationMetrics(records.slice(0, 1)), { agg_metrics: 1, acc: 1 });
  assert.equal(classificationMetrics([{ instance_id: "x", prediction: 1, target: 0 }]), { agg_metrics: 0, acc: 0 });
  // An empty split has no score: numpy's 0/0 (NaN) is refused, as is a 0 (evaluationCompleteness.test.ts).
  assert.throws(() => classificationMetrics([]), /has no instances to score: the split has no records/);
});

t("duplicates by instance_id: the first record is kept (save_result remove_duplicate)", () => {
  const out = dedupeByInstance([
    { instance_id: "7", prediction: 1, target: 1 },
    { instance_id: "8", prediction: 0, target: 1 },
    { instance_id: "7", prediction: 2, target: 1 },
  ]);
  assert.equal(out, [{ instance_id: "7", prediction: 1, target: 1 }, { instance_id: "8", prediction: 0, target: 1 }]);
  assert.equal(classificationMetrics(out).acc, 0.5);
});

t("argmax per row, first index on ties", () => {
  assert.equal(argmaxRows([0.1, 0.9, 0.3, 5, 5, -1, -2, -1, -3], 3), [1, 0, 1]);
  assert.equal(argmaxRows([], 4), []);
});

t.run();
