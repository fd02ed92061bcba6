import { test } from "uvu";
import * as assert from "uvu/assert";
import { beamSearch, generate, greedySearch, type GenerationOptions } from "../../src/runtime/models/textGeneration.js";
import { topKIndices } from "../../src/runtime/models/topK.js";

// Vocabulary of the fake decoder: 0 pad, 1 bos, 2 eos, 3.. words.
const V = 6;
const EOS = 2;

/** Log-probabilities from a function of the row (normalised here). */
function table(fn: (row: readonly number[]) => number[]): GenerationOptions["logProbs"] {
  return async (rows) => {
    const data = new Float32Array(rows.length * V);
    rows.forEach((row, r) => {
      const p = fn(row);
      const z = p.reduce((a, b) => a + b, 0);
      p.forEach((x, t) => (data[r * V + t] = Math.log(x / z)));
    });
    return { data, vocab: V };
  };
}

const base = { batch: 1, prompt: [1], eosId: EOS, padId: 0, repetitionPenalty: 1, lengthPenalty: 0, minLength: 0, maxLength: 10 };

test("greedy (1 beam) follows the argmax and stops at EOS; min_len bans EOS", async () => {
  // After bos: word 3; after 3: EOS most likely, else 4; after 4: EOS.
  const lp = table((row) => {
    const last = row[row.length - 1];
    return last === 1 ? [0, 0, 0.1, 0.7, 0.2, 0] : last === 3 ? [0, 0, 0.6, 0.1, 0.3, 0] : [0, 0, 0.9, 0.05, 0.05, 0];
  });
  assert.equal(await beamSearch({ ...base, numBeams: 1, logProbs: lp }), [[1, 3]]);
  // min_length counts the prompt: EOS is banned while the row has fewer than 3 tokens.
  assert.equal(await beamSearch({ ...base, numBeams: 1, minLength: 3, logProbs: lp }), [[1, 3, 4]]);
  // max_length (prompt included) cuts the sequence.
  const never = table(() => [0, 0, 0, 1, 0, 0]);
  assert.equal(await beamSearch({ ...base, numBeams: 1, maxLength: 4, logProbs: never }), [[1, 3, 3, 3]]);
});

test("beam search finds the better total score that greedy misses", async () => {
  // Greedy takes 3 (0.55) then is uncertain; 4 (0.45) leads to a sure EOS.
  const lp = table((row) => {
    const last = row[row.length - 1];
    if (last === 1) return [0, 0, 0, 0.55, 0.45, 0];
    if (last === 3) return [0, 0, 0.34, 0, 0, 0.33 + 0.33];
    if (last === 4) return [0, 0, 0.98, 0, 0, 0.02];
    return [0, 0, 1, 0, 0, 0];
  });
  assert.equal(await beamSearch({ ...base, numBeams: 1, logProbs: lp }), [[1, 3, 5]]);
  assert.equal(await beamSearch({ ...base, numBeams: 2, logProbs: lp }), [[1, 4]]);
});

test("length penalty divides the score by length^lp, favouring longer captions when positive", async () => {
  // Short: bos→3→EOS (log .5 + log .9). Long: bos→4→5→EOS (log .5 + log 1 + log .7 ... ) scores lower in sum.
  const lp = table((row) => {
    const last = row[row.length - 1];
    if (last === 1) return [0, 0, 0, 0.5, 0.5, 0];
    if (last === 3) return [0, 0, 0.9, 0, 0, 0.1];
    if (last === 4) return [0, 0, 0.01, 0, 0, 0.99];
    return [0, 0, 0.7, 0, 0, 0.3];
  });
  // Hypotheses exclude EOS: short = [1,3] sum ln.5+ln.9 = -0.798; long = [1,4,5] sum ln.5+ln.99+ln.7 = -1.060.
  assert.equal(await beamSearch({ ...base, numBeams: 2, lengthPenalty: 0, logProbs: lp }), [[1, 3]]);
  // lp 2: -0.798/4 = -0.200 vs -1.060/9 = -0.118.
  assert.equal(await beamSearch({ ...base, numBeams: 2, lengthPenalty: 2, logProbs: lp }), [[1, 4, 5]]);
});

test("repetition penalty scales the log-probability of tokens already in the row", async () => {
  // Word 3 is always slightly preferred over 4; EOS is unlikely until length 4.
  const lp = table((row) => (row.length < 4 ? [0, 0, 0.001, 0.5, 0.45, 0.049] : [0, 0, 1, 0, 0, 0]));
  assert.equal(await beamSearch({ ...base, numBeams: 1, logProbs: lp }), [[1, 3, 3, 3]]);
  // ln .5 · 1.5 < ln .45: after one 3, 4 wins; then both have been used, and 3 wins again.
  assert.equal(await beamSearch({ ...base, numBeams: 1, repetitionPenalty: 1.5, logProbs: lp }), [[1, 3, 4, 3]]);
});

test("batches keep items apart; origins name the row each new row extends", async () => {
  const k = 2;
  let previous: number[][] = [];
  let calls = 0;
  const out = await beamSearch({
    ...base, batch: 2, numBeams: k,
    logProbs: async (rows, origins) => {
      if (calls++ === 0) assert.is(origins, null);
      else rows.forEach((row, r) => assert.equal(row.slice(0, -1), previous[origins![r]!]));
      previous = rows.map((r) => [...r]);
      // Item 0 prefers word 3, item 1 word 4; then EOS is likely.
      return table((row) => (row.length === 1 ? [0, 0, 0, 0.6, 0.4, 0] : [0, 0, 0.9, 0.05, 0.05, 0]))(rows, origins).then(({ data, vocab }) => {
        if (rows[0]!.length === 1) for (let r = k; r < 2 * k; r++) [data[r * vocab + 3], data[r * vocab + 4]] = [data[r * vocab + 4]!, data[r * vocab + 3]!];
        return { data, vocab };
      });
    },
  });
  assert.equal(out, [[1, 3], [1, 4]]);
  assert.ok(calls >= 2);
});

// VQA's use (BlipVQA._generate_answers): bos prompt, length_penalty 1, no repetition penalty; greedy for one beam.
// Vocabulary: 0 pad, 1 bos, 2 eos, 3 "a", 4 "b".
const VQA = { batch: 1, prompt: [1], eosId: 2, padId: 0, repetitionPenalty: 1, lengthPenalty: 1, minLength: 1, maxLength: 6, numBeams: 1 };

/** A table model: next-token probabilities from the last token only. */
function markov(tableByLast: Record<number, number[]>): GenerationOptions["logProbs"] {
  return async (rows) => {
    const data = new Float32Array(rows.length * 5);
    rows.forEach((r, i) => (tableByLast[r[r.length - 1]!] ?? [1, 0, 0, 0, 0]).forEach((p, j) => (data[i * 5 + j] = Math.log(p))));
    return { data, vocab: 5 };
  };
}

test("VQA answers: greedy follows the argmax; beam search finds the likelier sequence greedy misses", async () => {
  // From bos: "a" 0.5, "b" 0.4. After "a": eos 0.3 / "a" 0.35 / "b" 0.35 (flat); after "b": eos 0.95.
  const logProbs = markov({ 1: [0, 0, 0.1, 0.5, 0.4], 3: [0, 0, 0.3, 0.35, 0.35], 4: [0, 0, 0.95, 0.03, 0.02] });
  const greedy = await generate({ ...VQA, logProbs });
  assert.equal(greedy[0]!.slice(0, 3), [1, 3, 3]);
  assert.equal(greedy, await greedySearch({ ...VQA, logProbs }));
  // "b eos": log(0.4·0.95)/2 beats every continuation of "a".
  assert.equal(await generate({ ...VQA, batch: 2, numBeams: 2, logProbs }), [[1, 4], [1, 4]]);
});

test("VQA answers: min_len masks eos until the sequence (with bos) is min_len long; max_len bounds the length", async () => {
  const logProbs = markov({ 1: [0, 0, 0.9, 0.1, 0], 3: [0, 0, 0.9, 0.1, 0] });
  assert.equal(await generate({ ...VQA, logProbs }), [[1]]);
  assert.equal(await generate({ ...VQA, minLength: 3, logProbs }), [[1, 3, 3]]);
  const loop = markov({ 1: [0, 0, 0, 1, 0], 3: [0, 0, 0, 1, 0] });
  assert.equal(await generate({ ...VQA, maxLength: 4, logProbs: loop }), [[1, 3, 3, 3]]);
  assert.equal((await generate({ ...VQA, maxLength: 4, numBeams: 3, logProbs: loop }))[0]!.length, 4);
});

test("top-k is stable on ties", () => {
  assert.equal(topKIndices([0.1, 0.5, 0.5, 0.2], 3), [1, 2, 3]);
});

test.run();
