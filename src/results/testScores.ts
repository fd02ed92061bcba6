// The test metric of a finished run, recomputed item by item from its result files (the model's predictions) and the
// split's annotations, with a 95% interval; the recomputed value must equal what the run logged.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { SplitData } from "../runtime/data/annotations.js";
import { captionTokenize } from "../runtime/metrics/captionTokenize.js";
import { corpusCider } from "../runtime/metrics/captionCider.js";
import { vqaAccuracy } from "../runtime/metrics/vqaMetrics.js";
import { recallMetrics, type RetrievalRanks } from "../runtime/metrics/retrievalMetrics.js";
import { bootstrapInterval, bootstrapMean, wilsonInterval, type Interval } from "./intervals.js";

export interface TestScore {
  readonly metric: string;
  readonly value: number;
  readonly interval: Interval;
  readonly items: number;
}

/** result/<split>_epoch<label>.json: "best" when the run validated, else its last epoch. */
export function epochResultFile(runDir: string, split: string): string {
  const names = readdirSync(join(runDir, "result")).filter((f) => f.startsWith(`${split}_epoch`) && f.endsWith(".json"));
  const best = names.find((f) => f === `${split}_epochbest.json`);
  const byEpoch = names.map((f) => Number(f.slice(`${split}_epoch`.length, -5))).filter(Number.isInteger).sort((a, b) => a - b);
  const name = best ?? (byEpoch.length ? `${split}_epoch${byEpoch.at(-1)}.json` : null);
  if (!name) throw new Error(`${runDir}/result has no ${split}_epoch*.json`);
  return join(runDir, "result", name);
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

/** Accuracy (fraction) of the classification result file, with Wilson's interval. */
export function classificationScore(runDir: string, split: string): TestScore {
  const records = readJson<{ prediction: number; target: number }[]>(epochResultFile(runDir, split));
  const right = records.filter((r) => r.prediction === r.target).length;
  return { metric: "acc", value: right / records.length, interval: wilsonInterval(right, records.length), items: records.length };
}

/** VQAv2 accuracy (percent) of result/<split>_vqa_result.json against the split's ground truth, bootstrapped over questions. */
export function vqaScore(runDir: string, data: SplitData, seed: number): TestScore {
  const records = readJson<{ question_id: string | number; answer: string }[]>(join(runDir, "result", `${data.split}_vqa_result.json`));
  const gt = new Map([...(data.vqaGroundTruth ?? [])].map(([q, g]) => [q, { answers: g.answers, ...(g.answerType ? { answerType: g.answerType } : {}) }]));
  const acc = vqaAccuracy(new Map(records.map((r) => [String(r.question_id), r.answer])), gt);
  const scores = [...acc.perQuestion.values()].map((x) => 100 * x);
  return { metric: "agg_metrics", value: acc.metrics["agg_metrics"]!, interval: bootstrapMean(scores, { seed, unit: "question" }), items: scores.length };
}

/** CIDEr-D of the caption result file; the interval bootstraps the per-image scores (document frequencies of the whole split). */
export function captionScore(runDir: string, data: SplitData, seed: number): TestScore {
  const records = readJson<{ image_id: string | number; caption: string }[]>(epochResultFile(runDir, data.split));
  const refs = new Map(data.records.map((r) => [String(r.sourceImageId), r.references ?? []]));
  const missing = records.filter((r) => !refs.has(String(r.image_id)));
  if (missing.length) throw new Error(`${missing.length} captions of ${runDir} name images that ${data.split} does not have`);
  const cider = corpusCider(records.map((r) => captionTokenize(r.caption)), records.map((r) => refs.get(String(r.image_id))!.map(captionTokenize)));
  return { metric: "CIDEr", value: cider.score, interval: bootstrapMean(cider.scores, { seed, unit: "image" }), items: records.length };
}

/** r_mean (percent) from per-query ranks; `picks` resamples images, each bringing its own captions as text queries. */
export function rMean(ranks: RetrievalRanks, img2txt: readonly (readonly number[])[], picks?: ArrayLike<number>): number {
  if (!picks) return recallMetrics(ranks)["r_mean"]!;
  const txt: number[] = [], img: number[] = [];
  for (let i = 0; i < picks.length; i++) {
    const image = picks[i]!;
    txt.push(ranks.txt_ranks[image]!);
    for (const t of img2txt[image]!) img.push(ranks.img_ranks[t]!);
  }
  return recallMetrics({ txt_ranks: txt, img_ranks: img })["r_mean"]!;
}

/** r_mean of result/<split>_ranks.json, bootstrapped over images (galleries fixed). */
export function retrievalScore(runDir: string, data: SplitData, seed: number): TestScore {
  const path = join(runDir, "result", `${data.split}_ranks.json`);
  if (!existsSync(path)) throw new Error(`${path} is missing: the run wrote no per-query ranks`);
  const ranks = readJson<RetrievalRanks>(path);
  const img2txt = data.retrieval!.img2txt;
  return {
    metric: "r_mean", value: rMean(ranks, img2txt),
    interval: bootstrapInterval(img2txt.length, (picks) => rMean(ranks, img2txt, picks), { seed, unit: "image" }),
    items: img2txt.length,
  };
}
