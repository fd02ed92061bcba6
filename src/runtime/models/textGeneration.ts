// Text generation as HuggingFace generate() runs it for BLIP's decoders (captions, VQA answers), independent of
// tensors: the model is a function from rows of tokens to next-token log-probabilities.
// Beam search (BeamSearchScorer, early_stopping=False): log-softmax scores, then the repetition penalty (on every
// token already in the row, prompt included) and the min-length ban on EOS, 2·num_beams candidates per item, EOS
// candidates ranked below num_beams dropped, finished hypotheses scored sum_logprobs / length^length_penalty (length
// without EOS, prompt included), lengths count the prompt. Greedy search (num_beams 1): the argmax after the same
// penalty and ban.

export interface GenerationOptions {
  readonly batch: number;
  readonly numBeams: number;
  /** Total length limit including the prompt (HF max_length). */
  readonly maxLength: number;
  /** EOS is banned while the row is shorter than this (HF min_length, prompt included). */
  readonly minLength: number;
  readonly repetitionPenalty: number;
  readonly lengthPenalty: number;
  readonly prompt: readonly number[];
  readonly eosId: number;
  readonly padId: number;
  /**
   * Next-token log-probabilities [rows, V] (row-major) for rows of equal length; row r belongs to item
   * floor(r / numBeams). Rows of finished items are included (their values are ignored). `origins[r]` is the row of
   * the previous call that row r extends by one token (null on the first call), for reordering a key/value cache.
   */
  readonly logProbs: (rows: readonly (readonly number[])[], origins: readonly number[] | null) => Promise<{ data: Float32Array; vocab: number }>;
}

class Hypotheses {
  readonly beams: { score: number; tokens: number[] }[] = [];
  worst = 1e9;
  constructor(private readonly numBeams: number, private readonly lengthPenalty: number) {}

  add(tokens: number[], sumLogprobs: number): void {
    const score = sumLogprobs / tokens.length ** this.lengthPenalty;
    if (this.beams.length < this.numBeams || score > this.worst) {
      this.beams.push({ score, tokens });
      if (this.beams.length > this.numBeams) {
        const sorted = this.beams.map((b, i) => [b.score, i] as const).sort((a, b) => a[0] - b[0]);
        this.beams.splice(sorted[0]![1], 1);
        this.worst = sorted[1]![0];
      } else this.worst = Math.min(score, this.worst);
    }
  }

  isDone(bestSumLogprobs: number, curLen: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    return this.worst >= bestSumLogprobs / curLen ** this.lengthPenalty;
  }

  best(): number[] {
    // Python's sorted(...)[-1]: the highest score, the last added among equals.
    let best = this.beams[0]!;
    for (const b of this.beams) if (b.score >= best.score) best = b;
    return best.tokens;
  }
}

/** Greedy search for numBeams <= 1 (as HF generate), else beam search. */
export function generate(o: GenerationOptions): Promise<number[][]> {
  return o.numBeams <= 1 ? greedySearch(o) : beamSearch(o);
}

/** The argmax continuation per item until EOS or maxLength (prompt included, EOS excluded). */
export async function greedySearch(o: GenerationOptions): Promise<number[][]> {
  const rows: number[][] = Array.from({ length: o.batch }, () => [...o.prompt]);
  const finished = new Array<boolean>(o.batch).fill(false);
  let origins: number[] | null = null;
  for (let curLen = o.prompt.length; curLen < o.maxLength && finished.some((f) => !f); curLen++) {
    const { data, vocab: v } = await o.logProbs(rows, origins);
    const scores = new Float64Array(v);
    for (let b = 0; b < o.batch; b++) {
      let token = o.padId;
      if (!finished[b]) {
        nextTokenScores(data, rows[b]!, b, v, curLen, o, scores);
        token = 0;
        for (let t = 1; t < v; t++) if (scores[t]! > scores[token]!) token = t;
      }
      rows[b]!.push(token);
      if (token === o.eosId) finished[b] = true;
    }
    origins = rows.map((_, r) => r);
  }
  return rows.map((r) => {
    const end = r.indexOf(o.eosId, o.prompt.length);
    return end < 0 ? r : r.slice(0, end);
  });
}

/** Row r's next-token scores after the repetition penalty and the min-length ban on EOS, into `out` [V]. */
function nextTokenScores(data: Float32Array, row: readonly number[], r: number, v: number, curLen: number, o: GenerationOptions, out: Float64Array): void {
  for (let t = 0; t < v; t++) out[t] = data[r * v + t]!;
  if (o.repetitionPenalty !== 1) {
    for (const t of new Set(row)) {
      const s = out[t]!;
      out[t] = s < 0 ? s * o.repetitionPenalty : s / o.repetitionPenalty;
    }
  }
  if (curLen < o.minLength) out[o.eosId] = -Infinity;
}

/** Returns the best sequence per item (prompt included, EOS excluded). */
export async function beamSearch(o: GenerationOptions): Promise<number[][]> {
  const k = o.numBeams;
  let rows: number[][] = Array.from({ length: o.batch * k }, () => [...o.prompt]);
  let beamScores = Float64Array.from({ length: o.batch * k }, (_, r) => (r % k === 0 ? 0 : -1e9));
  const hyps = Array.from({ length: o.batch }, () => new Hypotheses(k, o.lengthPenalty));
  const done = new Array<boolean>(o.batch).fill(false);
  let curLen = o.prompt.length;
  let origins: number[] | null = null;
  while (curLen < o.maxLength) {
    const { data, vocab: v } = await o.logProbs(rows, origins);
    const nextRows: number[][] = [];
    const nextOrigins: number[] = [];
    const nextScores = new Float64Array(o.batch * k);
    for (let b = 0; b < o.batch; b++) {
      if (done[b]) {
        for (let j = 0; j < k; j++) {
          nextRows.push([...rows[b * k + j]!, o.padId]);
          nextOrigins.push(b * k + j);
        }
        continue;
      }
      const cand = topCandidates(data, rows, beamScores, b, k, v, curLen, o);
      let filled = 0;
      for (let rank = 0; rank < cand.length && filled < k; rank++) {
        const { score, beam, token } = cand[rank]!;
        const row = rows[b * k + beam]!;
        if (token === o.eosId) {
          if (rank >= k) continue;
          hyps[b]!.add([...row], score);
        } else {
          nextRows.push([...row, token]);
          nextOrigins.push(b * k + beam);
          nextScores[b * k + filled] = score;
          filled++;
        }
      }
      done[b] = hyps[b]!.isDone(cand[0]!.score, curLen);
    }
    rows = nextRows;
    origins = nextOrigins;
    beamScores = nextScores;
    curLen++;
    if (done.every(Boolean)) break;
  }
  for (let b = 0; b < o.batch; b++) {
    if (done[b]) continue;
    for (let j = 0; j < k; j++) hyps[b]!.add(rows[b * k + j]!, beamScores[b * k + j]!);
  }
  return hyps.map((h) => h.best());
}

interface Candidate {
  readonly score: number;
  readonly beam: number;
  readonly token: number;
}

/** The 2k best (beam, token) continuations of item b, highest first (ties: lower flat index first). */
function topCandidates(data: Float32Array, rows: readonly (readonly number[])[], beamScores: Float64Array, b: number, k: number, v: number, curLen: number, o: GenerationOptions): Candidate[] {
  const want = 2 * k;
  const top: Candidate[] = [];
  const scores = new Float64Array(v);
  for (let j = 0; j < k; j++) {
    const r = b * k + j;
    nextTokenScores(data, rows[r]!, r, v, curLen, o, scores);
    const base = beamScores[r]!;
    for (let t = 0; t < v; t++) {
      const s = scores[t]! + base;
      if (top.length === want && s <= top[want - 1]!.score) continue;
      let i = top.length;
      while (i > 0 && top[i - 1]!.score < s) i--;
      top.splice(i, 0, { score: s, beam: j, token: t });
      if (top.length > want) top.pop();
    }
  }
  return top;
}
