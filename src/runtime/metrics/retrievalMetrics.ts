// LAVIS RetrievalTask._report_metrics: recall@1/5/10 in percent for image→text (txt_*) and text→image (img_*).
import { indices, requireCompleteEvaluation } from "./completeness.js";

/** Position of each column when a row is sorted by descending score (np.argsort(score)[::-1]: ties keep reverse index order). */
function descendingOrder(row: ArrayLike<number>): number[] {
  const idx = Array.from({ length: row.length }, (_, i) => i);
  // argsort ascending is stable-ish in numpy for these sizes; reversing it puts later indices first among ties.
  idx.sort((a, b) => row[a]! - row[b]! || a - b);
  return idx.reverse();
}

/** The metrics and the per-query ranks they come from (result/<split>_ranks.json, for intervals over test items). */
export interface RetrievalOutcome {
  readonly metrics: Record<string, number>;
  readonly ranks: RetrievalRanks;
}

export function retrievalOutcome(
  scoresI2t: readonly ArrayLike<number>[],
  scoresT2i: readonly ArrayLike<number>[],
  txt2img: readonly number[],
  img2txt: readonly (readonly number[])[],
): RetrievalOutcome {
  const ranks = retrievalRanks(scoresI2t, scoresT2i, txt2img, img2txt);
  return { metrics: recallMetrics(ranks), ranks };
}

/** LAVIS's retrieval metrics alone (the ranks dropped). */
export const retrievalMetrics = (...args: Parameters<typeof retrievalOutcome>): Record<string, number> => retrievalOutcome(...args).metrics;

/** Per query, the 0-based rank of the first right answer: an image's best own caption, a caption's image. */
export interface RetrievalRanks {
  readonly txt_ranks: readonly number[];
  readonly img_ranks: readonly number[];
}

export function retrievalRanks(
  scoresI2t: readonly ArrayLike<number>[],
  scoresT2i: readonly ArrayLike<number>[],
  txt2img: readonly number[],
  img2txt: readonly (readonly number[])[],
): RetrievalRanks {
  requireScored(scoresI2t, scoresT2i, txt2img, img2txt);
  const txtRanks = scoresI2t.map((row, index) => {
    const order = descendingOrder(row);
    const pos = new Map(order.map((c, r) => [c, r]));
    let rank = 1e20;
    for (const t of img2txt[index] ?? []) rank = Math.min(rank, pos.get(t) ?? 1e20);
    return rank;
  });
  const imgRanks = scoresT2i.map((row, index) => descendingOrder(row).indexOf(txt2img[index]!));
  return { txt_ranks: txtRanks, img_ranks: imgRanks };
}

/** LAVIS's recall@1/5/10 (percent), their means, r_mean and agg_metrics = txt_r_mean, from per-query ranks. */
export function recallMetrics(ranks: RetrievalRanks): Record<string, number> {
  const recall = (rs: readonly number[], k: number) => (100 * rs.filter((r) => r < k).length) / Math.max(rs.length, 1);
  const tr1 = recall(ranks.txt_ranks, 1), tr5 = recall(ranks.txt_ranks, 5), tr10 = recall(ranks.txt_ranks, 10);
  const ir1 = recall(ranks.img_ranks, 1), ir5 = recall(ranks.img_ranks, 5), ir10 = recall(ranks.img_ranks, 10);
  const trMean = (tr1 + tr5 + tr10) / 3;
  const irMean = (ir1 + ir5 + ir10) / 3;
  return {
    txt_r1: tr1, txt_r5: tr5, txt_r10: tr10, txt_r_mean: trMean,
    img_r1: ir1, img_r5: ir5, img_r10: ir10, img_r_mean: irMean,
    r_mean: (trMean + irMean) / 2,
    agg_metrics: trMean,
  };
}

/** Every image has a full row of scores and at least one caption; every caption a full row and a real image. */
function requireScored(i2t: readonly ArrayLike<number>[], t2i: readonly ArrayLike<number>[], txt2img: readonly number[], img2txt: readonly (readonly number[])[]): void {
  const nImg = img2txt.length, nTxt = txt2img.length;
  const complete = (rows: readonly ArrayLike<number>[], width: number) => indices(rows.length).filter((i) => rows[i]!.length === width);
  const isText = (t: number) => Number.isInteger(t) && t >= 0 && t < nTxt;
  const isImage = (i: number) => Number.isInteger(i) && i >= 0 && i < nImg;
  requireCompleteEvaluation({
    what: "retrieval (image to text)", unit: "image", expected: indices(nImg), predicted: complete(i2t, nTxt),
    withoutReference: indices(nImg).filter((i) => !img2txt[i]!.length || !img2txt[i]!.every(isText)),
    // RetrievalTask._report_metrics (lavis/tasks/retrieval.py) leaves an image without captions at rank 1e20.
    lavisDiffers: "LAVIS would score an image without captions as a miss, lowering txt_r1/r5/r10 without a word",
  });
  requireCompleteEvaluation({
    what: "retrieval (text to image)", unit: "caption", expected: indices(nTxt), predicted: complete(t2i, nImg),
    withoutReference: indices(nTxt).filter((t) => !isImage(txt2img[t]!)),
  });
}
