// The accuracy of LAVIS's VQA tasks that count matching ground-truth answers instead of running VQAEval
// (stdlib/tasks.lv `vqa_scoring { accuracy = matches }`): AOKVQATask._report_metrics (min(1, matches / 3), prediction
// and answers as they are) and GQATask._report_metrics (the normalised prediction equal to the normalised answer), in
// the X-InstructBLIP lavis/tasks/vqa.py the corpus's LAVIS has (stored as luandangsama/LAVIS@17851a6). Which side is
// normalised is the stdlib's to say (`normalise_prediction`, `normalise_ground_truth`), not this file's.
import type { VqaMatchScoring } from "../runSpec.js";
import { requireCompleteEvaluation } from "./completeness.js";
import { processDigitArticle, processPunctuation, type VqaGroundTruthItem } from "./vqaMetrics.js";

export interface VqaMatchResult {
  /** `{agg_metrics, <each metric key>}`: the mean × 100, unrounded (`sum(acc) / len(acc) * 100`). */
  readonly metrics: Record<string, number>;
  /** Per question accuracy in [0, 1]. */
  readonly perQuestion: Map<string, number>;
}

/** One question: min(1, #(gt == prediction) / fullCreditMatches), each side normalised first where the task does. */
export function vqaMatchQuestionAccuracy(prediction: string, gtAnswers: readonly string[], rule: Pick<VqaMatchScoring, "fullCreditMatches" | "normalisePrediction" | "normaliseGroundTruth">): number {
  const pred = rule.normalisePrediction ? normaliseAnswer(prediction) : prediction;
  const matches = gtAnswers.filter((gt) => (rule.normaliseGroundTruth ? normaliseAnswer(gt) : gt) === pred).length;
  return Math.min(1, matches / rule.fullCreditMatches);
}

/** VQAEval's processPunctuation, then processDigitArticle, as GQATask applies them (no newline/tab replacement, no strip). */
function normaliseAnswer(answer: string): string {
  return processDigitArticle(processPunctuation(answer));
}

/**
 * Scores predictions (question id → answer) against the ground truth, in ground-truth order. Every question needs a
 * prediction and ground truth (LAVIS stops at a missing `gt_ans` to write a leaderboard file instead; lavisc refuses a
 * split scored in part).
 */
export function vqaMatchAccuracy(predictions: ReadonlyMap<string, string>, groundTruth: ReadonlyMap<string, VqaGroundTruthItem>, rule: VqaMatchScoring, what = "VQA"): VqaMatchResult {
  const unanswerable = [...groundTruth].filter(([, gt]) => !gt.answers.length).map(([q]) => q);
  const notInSplit = [...predictions.keys()].filter((q) => !groundTruth.has(q));
  requireCompleteEvaluation({
    what, unit: "question", expected: [...groundTruth.keys(), ...notInSplit], predicted: predictions.keys(), withoutReference: [...unanswerable, ...notInSplit],
  });
  const perQuestion = new Map<string, number>();
  let sum = 0;
  for (const [qid, gt] of groundTruth) {
    const acc = vqaMatchQuestionAccuracy(predictions.get(qid)!, gt.answers, rule);
    perQuestion.set(qid, acc);
    sum += acc;
  }
  const accuracy = (sum / groundTruth.size) * 100;
  const metrics: Record<string, number> = { agg_metrics: accuracy };
  for (const key of rule.metricKeys) metrics[key] = accuracy;
  return { metrics, perQuestion };
}
