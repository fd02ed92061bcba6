// CIDEr-D as pycocoevalcap's CiderScorer (n = 4, sigma = 6): tf-idf n-gram vectors with document frequencies over the
// evaluated split's references, clipped cosine similarity per order with a Gaussian length penalty, averaged over
// orders and references, times 10. Kept quirk: the "length" in the penalty counts bigrams (n == 1 in its 0-based loop).
import { ngramCounts } from "./captionNgrams.js";

const N = 4;
const SIGMA = 6;

interface Vec {
  readonly vec: Map<string, number>[];
  readonly norm: number[];
  readonly length: number;
}

export function corpusCider(candidates: readonly string[], references: readonly (readonly string[])[]): { score: number; scores: number[] } {
  const refCounts = references.map((refs) => refs.map((r) => ngramCounts(r.split(" ").filter(Boolean), N)));
  const df = new Map<string, number>();
  for (const refs of refCounts) {
    const seen = new Set<string>();
    for (const c of refs) for (const g of c.keys()) seen.add(g);
    for (const g of seen) df.set(g, (df.get(g) ?? 0) + 1);
  }
  const refLen = Math.log(refCounts.length);
  const toVec = (cnts: Map<string, number>): Vec => {
    const vec = Array.from({ length: N }, () => new Map<string, number>());
    const norm = new Array<number>(N).fill(0);
    let length = 0;
    for (const [g, tf] of cnts) {
      const n = g.split(" ").length - 1;
      const v = tf * (refLen - Math.log(Math.max(1, df.get(g) ?? 0)));
      vec[n]!.set(g, v);
      norm[n]! += v * v;
      if (n === 1) length += tf;
    }
    return { vec, norm: norm.map(Math.sqrt), length };
  };
  const sim = (h: Vec, r: Vec): number[] => {
    const delta = h.length - r.length;
    const val = new Array<number>(N).fill(0);
    for (let n = 0; n < N; n++) {
      for (const [g, v] of h.vec[n]!) {
        const rv = r.vec[n]!.get(g) ?? 0;
        val[n]! += Math.min(v, rv) * rv;
      }
      if (h.norm[n] !== 0 && r.norm[n] !== 0) val[n]! /= h.norm[n]! * r.norm[n]!;
      val[n]! *= Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
    }
    return val;
  };
  const scores = candidates.map((cand, i) => {
    const h = toVec(ngramCounts(cand.split(" ").filter(Boolean), N));
    const refs = refCounts[i] ?? [];
    const sum = new Array<number>(N).fill(0);
    for (const rc of refs) sim(h, toVec(rc)).forEach((v, n) => (sum[n]! += v));
    const avg = sum.reduce((a, b) => a + b, 0) / N;
    return refs.length ? (avg / refs.length) * 10 : 0;
  });
  const score = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 0;
  return { score, scores };
}
