// Answer search for BLIP VQA, independent of tensors: HF generate's greedy and beam search (as BlipVQA._generate_answers
// calls it: length_penalty 1, no early stopping, min_length by masking [SEP]), top-k candidate choice for rank_answers,
// and BertTokenizer.decode(skip_special_tokens=True).
import { SPECIAL_TOKENS } from "../nn/tokenizer.js";

export interface GenerationSettings {
  readonly bos: number;
  readonly eos: number;
  readonly pad: number;
  /** Total sequence length including the bos token (HF max_length). */
  readonly maxLen: number;
  readonly minLen: number;
  readonly numBeams: number;
}

/** Log-probabilities of the next token for each row's sequence (all rows equally long): rows × vocab, row-major. */
export type NextLogProbs = (rows: readonly (readonly number[])[]) => Promise<Float32Array>;

/** Generated token sequences (bos first, no eos) for `batch` inputs; `next` rows are batch × numBeams, beams adjacent. */
export async function generateSequences(next: NextLogProbs, batch: number, vocab: number, s: GenerationSettings): Promise<number[][]> {
  return s.numBeams <= 1 ? greedy(next, batch, vocab, s) : beamSearch(next, batch, vocab, s);
}

function suppressEosBeforeMinLen(scores: Float32Array, rows: number, vocab: number, curLen: number, s: GenerationSettings): void {
  if (curLen >= s.minLen) return;
  for (let r = 0; r < rows; r++) scores[r * vocab + s.eos] = -Infinity;
}

async function greedy(next: NextLogProbs, batch: number, vocab: number, s: GenerationSettings): Promise<number[][]> {
  const seqs = Array.from({ length: batch }, () => [s.bos]);
  const finished = new Array<boolean>(batch).fill(false);
  while (seqs[0]!.length < s.maxLen && finished.some((f) => !f)) {
    const scores = await next(seqs);
    suppressEosBeforeMinLen(scores, batch, vocab, seqs[0]!.length, s);
    for (let b = 0; b < batch; b++) {
      const tok = finished[b] ? s.pad : argmax(scores, b * vocab, vocab);
      seqs[b]!.push(tok);
      if (tok === s.eos) finished[b] = true;
    }
  }
  return seqs.map((q) => {
    const end = q.indexOf(s.eos);
    return end < 0 ? q : q.slice(0, end);
  });
}

class Hypotheses {
  readonly items: { score: number; seq: number[] }[] = [];
  private worst = 1e9;
  constructor(private readonly numBeams: number) {}

  add(seq: number[], sumLogprobs: number): void {
    const score = sumLogprobs / seq.length; // length_penalty 1
    if (this.items.length < this.numBeams || score > this.worst) {
      this.items.push({ score, seq });
      if (this.items.length > this.numBeams) {
        const sorted = this.items.map((h, i) => [h.score, i] as const).sort((a, b) => a[0] - b[0]);
        this.items.splice(sorted[0]![1], 1);
        this.worst = sorted[1]![0];
      } else this.worst = Math.min(score, this.worst);
    }
  }

  isDone(bestSumLogprobs: number, curLen: number): boolean {
    return this.items.length >= this.numBeams && this.worst >= bestSumLogprobs / curLen;
  }

  best(): number[] {
    // Python's sorted(...)[-1]: the highest score, the latest added among ties.
    let best = this.items[0]!;
    for (const h of this.items) if (h.score >= best.score) best = h;
    return best.seq;
  }
}

async function beamSearch(next: NextLogProbs, batch: number, vocab: number, s: GenerationSettings): Promise<number[][]> {
  const k = s.numBeams;
  let seqs = Array.from({ length: batch * k }, () => [s.bos]);
  let beamScores: number[] = Array.from({ length: batch * k }, (_, i) => (i % k === 0 ? 0 : -1e9));
  const hyps = Array.from({ length: batch }, () => new Hypotheses(k));
  const done = new Array<boolean>(batch).fill(false);
  while (true) {
    const curLen = seqs[0]!.length;
    const scores = await next(seqs);
    suppressEosBeforeMinLen(scores, batch * k, vocab, curLen, s);
    const nextSeqs: number[][] = [];
    const nextScores: number[] = [];
    for (let b = 0; b < batch; b++) {
      if (done[b]) {
        for (let j = 0; j < k; j++) {
          nextSeqs.push([...seqs[b * k]!, s.pad]);
          nextScores.push(0);
        }
        continue;
      }
      // Top 2k of (beam, token) by accumulated score, best first (ties: lower flat index first).
      const cands: { score: number; beam: number; tok: number }[] = [];
      for (let j = 0; j < k; j++) {
        const base = (b * k + j) * vocab;
        for (let t = 0; t < vocab; t++) cands.push({ score: scores[base + t]! + beamScores[b * k + j]!, beam: j, tok: t });
      }
      const order = cands.map((c, i) => [c.score, i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]).slice(0, 2 * k);
      let filled = 0;
      let bestOfStep = -Infinity;
      for (let rank = 0; rank < order.length; rank++) {
        const c = cands[order[rank]![1]]!;
        bestOfStep = Math.max(bestOfStep, c.score);
        const src = seqs[b * k + c.beam]!;
        if (c.tok === s.eos) {
          if (rank < k) hyps[b]!.add([...src], c.score);
        } else if (filled < k) {
          nextSeqs.push([...src, c.tok]);
          nextScores.push(c.score);
          filled++;
        }
        if (filled === k) break;
      }
      done[b] = done[b]! || hyps[b]!.isDone(Math.max(...order.map((o) => o[0])), curLen);
    }
    seqs = nextSeqs;
    beamScores = nextScores;
    if (done.every(Boolean) || seqs[0]!.length >= s.maxLen) break;
  }
  for (let b = 0; b < batch; b++) {
    if (done[b]) continue;
    for (let j = 0; j < k; j++) hyps[b]!.add(seqs[b * k + j]!, beamScores[b * k + j]!);
  }
  return hyps.map((h) => h.best());
}

function argmax(a: Float32Array, start: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (a[start + i]! > a[start + best]!) best = i;
  return best;
}

/** Indices of the k largest values, largest first, lower index first among ties. */
export function topKIndices(values: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => values[b]! - values[a]! || a - b);
  return idx.slice(0, k);
}

const SPECIAL = new Set<string>(SPECIAL_TOKENS);

/** BertTokenizer.decode(ids, skip_special_tokens=True) with clean_up_tokenization_spaces. */
export function decodeTokens(ids: readonly number[], vocab: readonly string[]): string {
  const toks = ids.map((i) => vocab[i] ?? "[UNK]").filter((t) => !SPECIAL.has(t));
  const text = toks.join(" ").replace(/ ##/g, "").trim();
  return text
    .replace(/ \./g, ".").replace(/ \?/g, "?").replace(/ !/g, "!").replace(/ ,/g, ",").replace(/ ' /g, "'")
    .replace(/ n't/g, "n't").replace(/ 'm/g, "'m").replace(/ 's/g, "'s").replace(/ 've/g, "'ve").replace(/ 're/g, "'re");
}
