import { test } from "uvu";
import * as assert from "uvu/assert";
import { normalizeVqaAnswer, processDigitArticle, processPunctuation, pyRound, vqaAccuracy, vqaQuestionAccuracy } from "../../src/runtime/metrics/vqaMetrics.js";

const ten = (right: string, n: number, wrong = "other") => [...Array(n).fill(right), ...Array(10 - n).fill(wrong)] as string[];

test("answer normalisation as VQAEval: punctuation, periods, digits, articles, contractions", () => {
  assert.is(normalizeVqaAnswer("Yes."), "yes");
  assert.is(normalizeVqaAnswer("  two dogs\n"), "2 dogs");
  assert.is(normalizeVqaAnswer("the red one"), "red 1");
  assert.is(normalizeVqaAnswer("An apple"), "apple");
  assert.is(normalizeVqaAnswer("dont"), "don't");
  assert.is(normalizeVqaAnswer("3.5"), "3.5"); // a period before a digit stays
  // A punctuation mark next to a space is dropped, otherwise it becomes a space.
  assert.is(processPunctuation("black-and-white"), "black and white");
  assert.is(processPunctuation("left , right"), "left  right");
  // A digit,digit anywhere in the input drops every punctuation mark without a space.
  assert.is(processPunctuation("1,000 red-blue"), "1000 redblue");
  assert.is(processDigitArticle("A  Ten   the"), "10");
});

test("per question accuracy: mean over leave-one-out subsets of min(1, matches/3)", () => {
  assert.is(vqaQuestionAccuracy("red", ten("red", 10)), 1);
  assert.ok(Math.abs(vqaQuestionAccuracy("red", ten("red", 3)) - 0.9) < 1e-12); // 3·(2/3) + 7·1, over 10
  assert.ok(Math.abs(vqaQuestionAccuracy("red", ten("red", 2)) - 0.6) < 1e-12); // 2·(1/3) + 8·(2/3)
  assert.ok(Math.abs(vqaQuestionAccuracy("red", ten("red", 1)) - 0.3) < 1e-12); // 9·(1/3)
  assert.is(vqaQuestionAccuracy("blue", ten("red", 10)), 0);
  assert.is(vqaQuestionAccuracy("Two.", ten("2", 10)), 1); // the prediction is normalised
  // Ground truth is punctuation-normalised only when the annotators disagree (VQAEval's quirk).
  assert.is(vqaQuestionAccuracy("yes", ten("yes.", 10)), 0);
  assert.is(vqaQuestionAccuracy("yes", ten("yes.", 9, "no")), 1);
});

test("overall and per answer type in percent, 2 decimals, types in first-seen order", () => {
  const gt = new Map([
    ["1", { answers: ten("red", 10), answerType: "other" }],
    ["2", { answers: ten("yes", 10), answerType: "yes/no" }],
    ["3", { answers: ten("2", 1), answerType: "number" }],
    ["4", { answers: ten("blue", 10), answerType: "other" }],
  ]);
  const preds = new Map([["1", "red"], ["2", "no"], ["3", "two"], ["4", "blue"]]);
  const { metrics, perQuestion } = vqaAccuracy(preds, gt);
  assert.equal(Object.keys(metrics), ["agg_metrics", "other", "yes/no", "number"]);
  assert.is(metrics["agg_metrics"], 57.5); // (1 + 0 + 0.3 + 1) / 4
  assert.is(metrics["other"], 100);
  assert.is(metrics["yes/no"], 0);
  assert.is(metrics["number"], 30);
  assert.is(perQuestion.size, 4);
  // Three questions at 1, 1, 0: 66.666… → 66.67.
  const two = vqaAccuracy(new Map([["a", "x"], ["b", "x"], ["c", "y"]]), new Map(["a", "b", "c"].map((k) => [k, { answers: ten("x", 10) }])));
  assert.is(two.metrics["agg_metrics"], 66.67);
});

test("pyRound matches Python's round(x, 2)", () => {
  assert.is(pyRound(0.125, 2), 0.12); // exact tie → even
  assert.is(pyRound(0.375, 2), 0.38);
  assert.is(pyRound(2.675, 2), 2.67); // binary value just below the tie
  assert.is(pyRound(66.66666666, 2), 66.67);
  assert.is(pyRound(100, 2), 100);
  assert.is(pyRound(-1.005, 2), -1); // -1.00499999…
});

test.run();
