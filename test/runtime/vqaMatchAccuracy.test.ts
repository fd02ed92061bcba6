// AOKVQATask's and GQATask's accuracy (the X-InstructBLIP lavis/tasks/vqa.py, stored as luandangsama/LAVIS@17851a6),
// computed by hand: not VQAEval's leave-one-out.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { vqaMatchAccuracy, vqaMatchQuestionAccuracy } from "../../src/runtime/metrics/vqaMatchAccuracy.js";
import { vqaAccuracy } from "../../src/runtime/metrics/vqaMetrics.js";
import type { VqaMatchScoring } from "../../src/runtime/runSpec.js";

const AOK: VqaMatchScoring = { accuracy: "matches", fullCreditMatches: 3, normalisePrediction: false, normaliseGroundTruth: false, metricKeys: ["acc"] };
const GQA: VqaMatchScoring = { accuracy: "matches", fullCreditMatches: 1, normalisePrediction: true, normaliseGroundTruth: true, metricKeys: ["acc"] };
/** GQATask as vqa.py @7a08d0c had it: the prediction normalised, the ground truth as written. */
const GQA_7A08D0C: VqaMatchScoring = { ...GQA, normaliseGroundTruth: false };
const animals = ["dog", "dog", "cat", "cat", "cat", "cat", "cat", "cat", "cat", "cat"];

test("A-OKVQA: min(1, matches / 3) per question, the mean × 100 under acc and agg_metrics, unrounded", () => {
  const gt = new Map(["q0", "q1", "q2", "q3"].map((q) => [q, { answers: animals }]));
  const preds = new Map([["q0", "cat"], ["q1", "cat"], ["q2", "cat"], ["q3", "dog"]]);
  // cat: 8 matches → 1; dog: 2 matches → 2/3. (1 + 1 + 1 + 2/3) / 4 × 100 = 91.67; VQAEval would give 90 (dog: 0.6).
  const expected = ((1 + 1 + 1 + 2 / 3) / 4) * 100;
  assert.equal(vqaMatchAccuracy(preds, gt, AOK).metrics, { agg_metrics: expected, acc: expected });
  assert.is(expected.toFixed(2), "91.67");
  assert.equal(vqaAccuracy(preds, new Map([...gt].map(([q, g]) => [q, { ...g, answerType: "other" }]))).metrics, { agg_metrics: 90, other: 90 });
  // No normalisation: "Cat." is not "cat"; three matches already give full credit.
  assert.is(vqaMatchQuestionAccuracy("Cat.", animals, AOK), 0);
  assert.is(vqaMatchQuestionAccuracy("x", ["x", "x", "x", "y"], AOK), 1);
});

test("GQA: the prediction normalised by VQAEval's processPunctuation and processDigitArticle equals the one answer", () => {
  assert.is(vqaMatchQuestionAccuracy("Two.", ["2"], GQA), 1);
  assert.is(vqaMatchQuestionAccuracy("the table", ["table"], GQA), 1);
  const gt = new Map([["1", { answers: ["yes"] }], ["2", { answers: ["no"] }], ["3", { answers: ["left"] }]]);
  assert.equal(vqaMatchAccuracy(new Map([["1", "yes"], ["2", "yes"], ["3", "left"]]), gt, GQA).metrics, { agg_metrics: (2 / 3) * 100, acc: (2 / 3) * 100 });
});

test("GQA: the ground truth is normalised the same way (`gt_ans = vqa_tool.processPunctuation(gt_ans)`, then processDigitArticle)", () => {
  assert.is(vqaMatchQuestionAccuracy("table", ["the table"], GQA), 1, "article dropped from the answer");
  assert.is(vqaMatchQuestionAccuracy("2", ["two"], GQA), 1, "number word in the answer");
  assert.is(vqaMatchQuestionAccuracy("two", ["Two"], GQA), 1, "both sides lower-cased and mapped to 2");
  assert.is(vqaMatchQuestionAccuracy("left", ["left."], GQA), 1, "period stripped from the answer");
  assert.is(vqaMatchQuestionAccuracy("t shirt", ["t-shirt"], GQA), 1, "hyphen inside a word becomes a space");
  assert.is(vqaMatchQuestionAccuracy("right", ["left"], GQA), 0);
  const gt = new Map([["1", { answers: ["the table"] }], ["2", { answers: ["Two"] }], ["3", { answers: ["left"] }]]);
  assert.equal(vqaMatchAccuracy(new Map([["1", "table"], ["2", "2"], ["3", "right"]]), gt, GQA).metrics, { agg_metrics: (2 / 3) * 100, acc: (2 / 3) * 100 });
  // vqa.py @7a08d0c left the answer as written: none of these matched there.
  for (const [pred, answer] of [["table", "the table"], ["2", "two"], ["two", "Two"], ["left", "left."], ["t shirt", "t-shirt"]] as const) {
    assert.is(vqaMatchQuestionAccuracy(pred, [answer], GQA_7A08D0C), 0, `${pred} vs ${answer}`);
  }
});

test("every question needs a prediction", () => {
  assert.throws(() => vqaMatchAccuracy(new Map([["q0", "cat"]]), new Map([["q0", { answers: animals }], ["q1", { answers: animals }]]), AOK), /q1/);
});

test.run();
