// The answers (and their weights) a VQA training record gives, as the builder's training dataset class reads them.
// A builder of the stdlib declares its class's rule (`train_answers` in stdlib/contracts.lv); another builder's records
// are read leniently.
import type { DatasetSpec } from "../runSpec.js";

export type TrainAnswers = NonNullable<DatasetSpec["trainAnswers"]>;

export interface WeightedAnswers { readonly answers: string[]; readonly weights: number[] }

/** Distinct answers with weight count/len (COCOVQADataset); explicit per-answer `weight`s are summed per answer instead. */
export function answerWeights(answers: readonly string[], weights?: readonly number[]): WeightedAnswers {
  const acc = new Map<string, number>();
  answers.forEach((a, i) => acc.set(a, (acc.get(a) ?? 0) + (weights ? weights[i]! : 1 / answers.length)));
  return { answers: [...acc.keys()], weights: [...acc.values()] };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** lavisc's lenient reading: `answer`, `answers` or `direct_answers`, a string or a list (of strings or `{answer}`). */
export function answersOf(rec: Record<string, unknown>): string[] | undefined {
  const a = rec["answer"] ?? rec["answers"] ?? rec["direct_answers"];
  if (typeof a === "string") return [a];
  if (Array.isArray(a)) return a.map((x) => (isObj(x) && typeof x["answer"] === "string" ? x["answer"] : String(x)));
  return undefined;
}

/** The answers as the record writes them (a string or a list of strings), for result files that copy them (`gt_ans`). */
export function writtenAnswers(rec: Record<string, unknown>): string | string[] | undefined {
  const a = rec["answer"] ?? rec["answers"] ?? rec["direct_answers"];
  return typeof a === "string" || (Array.isArray(a) && a.every((x) => typeof x === "string")) ? (a as string | string[]) : undefined;
}

/** An undeclared builder's training record: its answers, weighted by its own `weight` list when it has one. */
export function lenientAnswers(rec: Record<string, unknown>, raw: readonly string[]): WeightedAnswers {
  const given = rec["weight"];
  const weights = Array.isArray(given) && given.length === raw.length && given.every((w) => typeof w === "number") ? (given as number[]) : undefined;
  return answerWeights(raw, weights);
}

/**
 * A declared builder's training record, as its dataset class reads it: `share` iterates `ann[field]` and weighs each
 * distinct answer count / len (COCOVQADataset, AOKVQADataset with `direct_answers`); a number takes `[ann[field]]` with
 * that weight (VGVQADataset: 0.2, GQADataset: 1). Returns the problem, in words, when the record has another shape:
 * no such key, a string where the class iterates a list (each character would be an answer), a list where it takes one.
 */
export function declaredAnswers(rec: Record<string, unknown>, rule: TrainAnswers): WeightedAnswers | string {
  const value = rec[rule.field];
  const key = JSON.stringify(rule.field);
  if (value === undefined) return `has no ${key}`;
  if (rule.weight === "share") {
    if (typeof value === "string") return `${key} is a string, not a list; LAVIS's dataset iterates it, so each of its ${[...value].length} characters would be an answer. Write ${JSON.stringify([value])}`;
    if (!Array.isArray(value) || !value.length || !value.every((a) => typeof a === "string")) return `${key} must be a non-empty list of strings`;
    return answerWeights(value as string[]);
  }
  if (typeof value !== "string") return `${key} must be one answer (a string): LAVIS's dataset takes it whole as the only answer, with weight ${rule.weight}`;
  return { answers: [value], weights: [rule.weight] };
}
