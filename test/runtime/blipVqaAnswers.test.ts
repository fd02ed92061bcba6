import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeTokens, generateSequences, topKIndices, type NextLogProbs } from "../../src/runtime/models/blipVqaAnswers.js";

// Vocabulary: 0 pad, 1 bos, 2 eos, 3 "a", 4 "b".
const V = 5;
const S = { bos: 1, eos: 2, pad: 0, maxLen: 6, minLen: 1, numBeams: 1 };

/** A table model: next-token probabilities from the last token only. */
function markov(table: Record<number, number[]>): NextLogProbs {
  return async (rows) => {
    const out = new Float32Array(rows.length * V);
    rows.forEach((r, i) => (table[r[r.length - 1]!] ?? [1, 0, 0, 0, 0]).forEach((p, j) => (out[i * V + j] = Math.log(p))));
    return out;
  };
}

test("greedy follows the argmax; beam search finds the likelier sequence greedy misses", async () => {
  // From bos: "a" 0.5, "b" 0.4. After "a": eos 0.3 / "a" 0.35 / "b" 0.35 (flat); after "b": eos 0.95.
  const model = markov({ 1: [0, 0, 0.1, 0.5, 0.4], 3: [0, 0, 0.3, 0.35, 0.35], 4: [0, 0, 0.95, 0.03, 0.02] });
  const greedy = await generateSequences(model, 1, V, S);
  assert.equal(greedy[0]!.slice(0, 3), [1, 3, 3]);
  const beam = await generateSequences(model, 2, V, { ...S, numBeams: 2 });
  // "b eos": log(0.4·0.95)/2 beats every continuation of "a".
  assert.equal(beam, [[1, 4], [1, 4]]);
});

test("min_len masks eos until the sequence (with bos) is min_len long; max_len bounds the length", async () => {
  const model = markov({ 1: [0, 0, 0.9, 0.1, 0], 3: [0, 0, 0.9, 0.1, 0] });
  assert.equal(await generateSequences(model, 1, V, S), [[1]]);
  assert.equal(await generateSequences(model, 1, V, { ...S, minLen: 3 }), [[1, 3, 3]]);
  const loop = markov({ 1: [0, 0, 0, 1, 0], 3: [0, 0, 0, 1, 0] });
  assert.equal(await generateSequences(loop, 1, V, { ...S, maxLen: 4 }), [[1, 3, 3, 3]]);
  assert.equal((await generateSequences(loop, 1, V, { ...S, maxLen: 4, numBeams: 3 }))[0]!.length, 4);
});

test("top-k is stable on ties; decode skips special tokens and joins word pieces as BertTokenizer.decode", () => {
  assert.equal(topKIndices([0.1, 0.5, 0.5, 0.2], 3), [1, 2, 3]);
  const vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[ENC]", "[DEC]", "red", "##dish", "it", "'", "s", "?"];
  assert.is(decodeTokens([6, 7, 8, 3, 0], vocab), "reddish");
  assert.is(decodeTokens([6, 9, 10, 11, 7, 12], vocab), "it's red?");
});

test.run();
