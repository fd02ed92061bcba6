// Trivial baselines of a test metric, computed from the data of the same project: a constant prediction learned from
// the training split (its most frequent class, answer or caption) scored on the test split exactly as the model is,
// and chance for retrieval and prompt classification. Each says how it was made.
import { captionMetrics } from "../runtime/metrics/captionMetrics.js";
import { vqaAccuracy } from "../runtime/metrics/vqaMetrics.js";
import type { SplitData } from "../runtime/data/annotations.js";
import { wilsonInterval, type Interval } from "./intervals.js";

export interface Baseline {
  readonly name: string;
  /** How it was computed, in words. */
  readonly how: string;
  readonly value: number;
  readonly interval?: Interval;
  /** Other metrics of the same prediction (e.g. Bleu_4 of the constant caption). */
  readonly others?: Readonly<Record<string, number>>;
}

/** The most frequent value; among equally frequent ones, the first seen. */
export function mostFrequent<T>(values: Iterable<T>): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined, bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount) [best, bestCount] = [v, c];
  return best;
}

const label = (r: { readonly label?: number }): number => r.label ?? -1;

/** Accuracy of always predicting the training split's most frequent class. */
export function mostFrequentClass(train: SplitData, test: SplitData): Baseline {
  const cls = mostFrequent(train.records.map(label))!;
  const right = test.records.filter((r) => label(r) === cls).length;
  const name = test.classnames?.[cls] ?? train.classnames?.[cls] ?? String(cls);
  return {
    name: "most frequent class",
    how: `always "${name}" (class ${cls}), the training split's most frequent class, scored on ${test.split}`,
    value: right / test.records.length, interval: wilsonInterval(right, test.records.length),
  };
}

/** Chance accuracy of picking one of the split's classes uniformly. */
export function chanceClass(test: SplitData): Baseline {
  const n = test.classnames?.length ?? new Set(test.records.map(label)).size;
  return { name: "chance", how: `1 / ${n} classes`, value: 1 / n };
}

/** VQA accuracy (percent) of always answering the training split's most frequent answer. */
export function mostFrequentAnswer(train: SplitData, test: SplitData): Baseline {
  const answer = mostFrequent(train.records.flatMap((r) => r.answers ?? []));
  if (answer === undefined || !test.vqaGroundTruth) throw new Error(`no answers in ${train.split} or no ground truth in ${test.split}`);
  const gt = new Map([...test.vqaGroundTruth].map(([q, g]) => [q, { answers: g.answers, ...(g.answerType ? { answerType: g.answerType } : {}) }]));
  const acc = vqaAccuracy(new Map([...gt.keys()].map((q) => [q, answer])), gt);
  return { name: "most frequent answer", how: `always "${answer}", the training split's most frequent answer, VQAv2 accuracy on ${test.split}`, value: acc.metrics["agg_metrics"]! };
}

/** COCO caption metrics of giving every test image the training split's most frequent caption. */
export function mostFrequentCaption(train: SplitData, test: SplitData, metric = "CIDEr"): Baseline {
  const caption = mostFrequent(train.records.map((r) => r.text));
  if (caption === undefined) throw new Error(`no captions in ${train.split}`);
  const m = captionMetrics(test.records.map(() => caption), test.records.map((r) => r.references ?? []));
  return {
    name: "most frequent caption", how: `"${caption}" for every image, the training split's most frequent caption, scored on ${test.split}`,
    value: m[metric]!, others: { Bleu_4: m["Bleu_4"]!, CIDEr: m["CIDEr"]! },
  };
}

/** log C(n, k) */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += Math.log(n - i) - Math.log(i + 1);
  return s;
}

/** Expected recall@k (percent) of random rankings: an image finds one of its m captions among T, a caption its image among I. */
export function retrievalChance(retrieval: NonNullable<SplitData["retrieval"]>, split: string): Baseline {
  const T = retrieval.texts.length, I = retrieval.img2txt.length;
  const txt = (k: number) => {
    const kk = Math.min(k, T);
    const per = retrieval.img2txt.map((own) => (T - own.length < kk ? 1 : 1 - Math.exp(logChoose(T - own.length, kk) - logChoose(T, kk))));
    return (100 * per.reduce((a, b) => a + b, 0)) / I;
  };
  const img = (k: number) => 100 * Math.min(1, k / I);
  const tr = [txt(1), txt(5), txt(10)], ir = [img(1), img(5), img(10)];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    name: "chance", how: `expected recall@1/5/10 of a random ranking of ${split}'s ${I} images and ${T} captions`,
    value: (mean(tr) + mean(ir)) / 2, others: { txt_r10: tr[2]!, img_r10: ir[2]! },
  };
}
