import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { retrievalMetrics, retrievalRanks } from "../../src/runtime/metrics/retrievalMetrics.js";
import { classificationScore, epochResultFile, rMean } from "../../src/results/testScores.js";
import { seededRandom } from "../harness/seededRandom.js";

test("rMean from ranks equals LAVIS's r_mean, and a resample of every image once gives the same", () => {
  const rand = seededRandom(7);
  const nImg = 6, img2txt = Array.from({ length: nImg }, (_, i) => [2 * i, 2 * i + 1]), txt2img = img2txt.flatMap((ts, i) => ts.map(() => i));
  const i2t = Array.from({ length: nImg }, () => Float32Array.from({ length: 2 * nImg }, () => rand()));
  const t2i = Array.from({ length: 2 * nImg }, () => Float32Array.from({ length: nImg }, () => rand()));
  const ranks = retrievalRanks(i2t, t2i, txt2img, img2txt);
  const lavis = retrievalMetrics(i2t, t2i, txt2img, img2txt)["r_mean"]!;
  assert.is(rMean(ranks, img2txt), lavis);
  assert.ok(Math.abs(rMean(ranks, img2txt, Int32Array.from([0, 1, 2, 3, 4, 5])) - lavis) < 1e-9);
});

test("classification score: accuracy of the best epoch's result file with Wilson's interval", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-scores-"));
  try {
    mkdirSync(join(dir, "result"));
    writeFileSync(join(dir, "result", "test_epoch3.json"), JSON.stringify([{ prediction: 1, target: 1 }]));
    writeFileSync(join(dir, "result", "test_epochbest.json"), JSON.stringify([{ prediction: 1, target: 1 }, { prediction: 0, target: 1 }]));
    assert.match(epochResultFile(dir, "test"), /test_epochbest\.json$/);
    const s = classificationScore(dir, "test");
    assert.is(s.value, 0.5);
    assert.is(s.items, 2);
    rmSync(join(dir, "result", "test_epochbest.json"));
    assert.match(epochResultFile(dir, "test"), /test_epoch3\.json$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
