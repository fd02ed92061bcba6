// Corpus BLEU-1..4 as pycocoevalcap's BleuScorer with option "closest" (the reported score, not the per-sentence mean):
// clipped n-gram counts against the per-n-gram maximum over references, the reference length closest to the
// candidate's (ties: the shorter), and the tiny/small smoothing constants of bleu_scorer.py.
import { ngramCounts } from "./captionNgrams.js";

const TINY = 1e-15;
const SMALL = 1e-9;

/** `candidates[i]` and `references[i]` are pre-tokenised, space-joined strings. Returns [Bleu_1, …, Bleu_n]. */
export function corpusBleu(candidates: readonly string[], references: readonly (readonly string[])[], n = 4): number[] {
  let testLen = 0;
  let refLen = 0;
  const guess = new Array<number>(n).fill(0);
  const correct = new Array<number>(n).fill(0);
  candidates.forEach((cand, i) => {
    const refs = references[i] ?? [];
    const maxRef = new Map<string, number>();
    const refLens: number[] = [];
    for (const r of refs) {
      const words = r.split(" ").filter(Boolean);
      refLens.push(words.length);
      for (const [g, c] of ngramCounts(words, n)) maxRef.set(g, Math.max(maxRef.get(g) ?? 0, c));
    }
    const words = cand.split(" ").filter(Boolean);
    const len = words.length;
    testLen += len;
    // min((abs(l - testlen), l) for l in reflens)
    let best: [number, number] | null = null;
    for (const l of refLens) if (!best || Math.abs(l - len) < best[0] || (Math.abs(l - len) === best[0] && l < best[1])) best = [Math.abs(l - len), l];
    refLen += best ? best[1] : 0;
    for (let k = 0; k < n; k++) guess[k]! += Math.max(len - k, 0);
    for (const [g, c] of ngramCounts(words, n)) {
      const k = g.split(" ").length - 1;
      correct[k]! += Math.min(c, maxRef.get(g) ?? 0);
    }
  });
  const out: number[] = [];
  let prod = 1;
  const ratio = (testLen + TINY) / (refLen + SMALL);
  for (let k = 0; k < n; k++) {
    prod *= (correct[k]! + TINY) / (guess[k]! + SMALL);
    let b = prod ** (1 / (k + 1));
    if (ratio < 1) b *= Math.exp(1 - 1 / ratio);
    out.push(b);
  }
  return out;
}
