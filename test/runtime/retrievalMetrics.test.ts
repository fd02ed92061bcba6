import { test } from "uvu";
import * as assert from "uvu/assert";
import { retrievalMetrics } from "../../src/runtime/metrics/retrievalMetrics.js";

test("recall@k as LAVIS _report_metrics, agg_metrics = txt_r_mean", () => {
  // 2 images, 4 texts (texts 0,1 → image 0; 2,3 → image 1).
  const i2t = [Float32Array.from([0.1, 0.9, 0.5, 0.2]), Float32Array.from([0.8, 0.1, 0.3, 0.2])];
  const t2i = [Float32Array.from([0.9, 0.1]), Float32Array.from([0.2, 0.3]), Float32Array.from([0.1, 0.5]), Float32Array.from([0.6, 0.4])];
  const m = retrievalMetrics(i2t, t2i, [0, 0, 1, 1], [[0, 1], [2, 3]]);
  // image 0: best gt text (1) is rank 0; image 1: texts 2,3 rank 1 and 3 → rank 1.
  assert.is(m["txt_r1"], 50);
  assert.is(m["txt_r5"], 100);
  // texts: 0 → rank 0, 1 → image 1 first → rank 1, 2 → rank 0, 3 → rank 1.
  assert.is(m["img_r1"], 50);
  assert.is(m["img_r10"], 100);
  assert.is(m["txt_r_mean"], (50 + 100 + 100) / 3);
  assert.is(m["agg_metrics"], m["txt_r_mean"]);
  assert.is(m["r_mean"], (m["txt_r_mean"]! + m["img_r_mean"]!) / 2);
  assert.equal(Object.keys(m), ["txt_r1", "txt_r5", "txt_r10", "txt_r_mean", "img_r1", "img_r5", "img_r10", "img_r_mean", "r_mean", "agg_metrics"]);
});

test.run();
