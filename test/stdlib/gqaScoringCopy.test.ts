// Whether GQATask's ground truth is normalised before matching is read from the stdlib (task gqa's `vqa_scoring`,
// `normalise_ground_truth`), not written in TypeScript: a copy of stdlib/ (named by $LAVISC_STDLIB) that sets it false
// gives back the scoring of vqa.py @7a08d0c (the prediction normalised, the answer as written), the RunSpec carrying it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useStdlibCopy } from "../harness/stdlibCopy.js";

// Before lavisc loads its stdlib.
const { remove } = useStdlibCopy("lavisc-gqa-scoring-copy-", [
  ["tasks.lv", "    normalise_ground_truth = true\n", "    normalise_ground_truth = false\n"],
]);
const { checkFile } = await import("../../src/index.js");
const { nodeHost } = await import("../../src/cli/host.js");
const { lowerToGraph, runSpecOf } = await import("../../src/compiler/lower.js");
const { vqaMatchAccuracy } = await import("../../src/runtime/metrics/vqaMatchAccuracy.js");

/** The RunSpec's vqaScoring of blip_vqa evaluated under task gqa, compiled with the copy. */
function gqaScoring() {
  const path = join(mkdtempSync(join(tmpdir(), "lavisc-gqa-copy-")), "gqa.yaml");
  writeFileSync(path, "model:\n  arch: blip_vqa\n  model_type: vqav2\ndatasets:\n  gqa: {}\nrun:\n  task: gqa\n  init_lr: 2e-5\n");
  const r = checkFile(path, nodeHost());
  assert.ok(r.resolved);
  return runSpecOf(lowerToGraph(r.resolved!).graph).vqaScoring;
}

test("the RunSpec carries the copy's `normalise_ground_truth = false`", () => {
  assert.equal(gqaScoring(), { accuracy: "matches", fullCreditMatches: 1, normalisePrediction: true, normaliseGroundTruth: false, metricKeys: ["acc"] });
});

test("scored with it, answers that need normalising no longer match (vqa.py @7a08d0c's GQATask)", () => {
  const gt = new Map([["1", { answers: ["the table"] }], ["2", { answers: ["two"] }], ["3", { answers: ["left"] }]]);
  const preds = new Map([["1", "table"], ["2", "2"], ["3", "Left."]]);
  // The stdlib's own rule scores all three right (vqaMatchAccuracy.test.ts); here only the prediction is normalised.
  assert.equal(vqaMatchAccuracy(preds, gt, gqaScoring()!).metrics, { agg_metrics: (1 / 3) * 100, acc: (1 / 3) * 100 });
});

test.after(remove);
test.run();
