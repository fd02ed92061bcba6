import { test } from "uvu";
import * as assert from "uvu/assert";
import { captionTokenize } from "../../src/runtime/metrics/captionTokenize.js";
import { corpusBleu } from "../../src/runtime/metrics/captionBleu.js";
import { corpusRougeL, rougeL } from "../../src/runtime/metrics/captionRouge.js";
import { corpusCider } from "../../src/runtime/metrics/captionCider.js";
import { TFJS_METRICS_NOT_COMPUTED } from "../../src/runtime/runSpec.js";
import { taskFacts } from "../../src/semantic/facts.js";
import { loadStdlib } from "../../src/project/stdlib.js";
import { captionMetrics } from "../../src/runtime/metrics/captionMetrics.js";

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test("tokenizer: lower-case, PTB punctuation dropped, hyphenated words kept (more cases in captionTokenize.test.ts)", () => {
  assert.is(captionTokenize("A Man, riding a horse."), "a man riding a horse");
  // PTBTokenizer: "(" is "-LRB-", lower-cased to "-lrb-" (not in PUNCTUATIONS); "isn't" is "is" + "n't"; "?!" is one token.
  assert.is(captionTokenize("  a  t-shirt (dark) ... isn't it?! "), "a t-shirt -lrb- dark -rrb- is n't it ?!");
  assert.is(captionTokenize("- quoted 'word' -"), "quoted word");
});

test("BLEU: clipped counts, closest reference length, corpus (not sentence-mean) aggregation", () => {
  const refs = [["the cat is on the mat", "there is a cat on the mat"]];
  const b = corpusBleu(["the cat sat on the mat"], refs);
  // unigrams 5/6 (the ×2 clipped to 2, sat unmatched), bigrams 3/5, trigrams 1/4, 4-grams 0/3; reflen 6 = testlen.
  const bp = Math.exp(1 - (6 + 1e-9) / (6 + 1e-15));
  close(b[0]!, (5 / 6) * bp);
  close(b[1]!, Math.sqrt((5 / 6) * (3 / 5)) * bp);
  close(b[2]!, Math.cbrt((5 / 6) * (3 / 5) * (1 / 4)) * bp);
  close(b[3]!, ((5 / 6) * (3 / 5) * (1 / 4) * (1e-15 / (3 + 1e-9))) ** 0.25 * bp, 1e-12);
  // Brevity penalty: 2 words against the closest reference of 6 → exp(1 - 3).
  const short = corpusBleu(["the cat"], [["the cat is on the mat"]]);
  close(short[0]!, Math.exp(-2), 1e-8);
  close(short[1]!, Math.exp(-2), 1e-8);
  // Tie in distance (5 and 7 around 6): the shorter reference length counts, so no penalty.
  close(corpusBleu(["a b c d e f"], [["a b c d e", "a b c d e f g"]])[0]!, 1, 1e-8);
  // Corpus: counts are summed over sentences before the ratio.
  const c = corpusBleu(["a b", "c d e f"], [["a x"], ["c d e f"]]);
  close(c[0]!, 5 / 6, 1e-8);
});

test("ROUGE-L: max precision and max recall over references, beta 1.2", () => {
  close(rougeL("the cat sat on the mat", ["the cat is on the mat", "there is a cat on the mat"]), 5 / 6);
  // LCS 3: precision 1, recall 0.5 → (1 + 1.44)·0.5 / (0.5 + 1.44).
  close(rougeL("a b c", ["a b c d e f"]), (2.44 * 0.5) / (0.5 + 1.44));
  assert.is(rougeL("x y", ["a b"]), 0);
  close(corpusRougeL(["a b c", "x y"], [["a b c d e f"], ["a b"]]), (2.44 * 0.5) / 1.94 / 2);
});

test("CIDEr-D: tf-idf over the split's references, per-order cosine, ×10", () => {
  // Two images, candidates equal to their single reference: orders 1 and 2 give cosine 1, orders 3-4 have no n-grams.
  close(corpusCider(["a b", "c d"], [["a b"], ["c d"]]).score, 5);
  // An n-gram in every image's references has idf log(2) - log(2) = 0: nothing left to match.
  close(corpusCider(["a b", "a b"], [["a b"], ["a b"]]).score, 0);
  // Partial match with the Gaussian length penalty (1 vs 2 bigrams, sigma 6).
  const r = corpusCider(["a b", "c d"], [["a b x"], ["c d"]]);
  const first = ((2 / Math.sqrt(6) + 1 / Math.SQRT2) / 4) * Math.exp(-1 / 72) * 10;
  close(r.scores[0]!, first);
  close(r.scores[1]!, 5);
  close(r.score, (first + 5) / 2);
  // Several references: the similarity is averaged over them; clipping uses min(hyp, ref) weights.
  const m = corpusCider(["a a", "c"], [["a", "a a"], ["d"]]);
  assert.ok(m.scores[0]! > 0 && m.scores[0]! < 10);
  assert.is(m.scores[1], 0);
});

test("CIDEr-D reproduces a published value of pycocoevalcap's CiderScorer (SummEval's test_cider, untokenised)", () => {
  // Yale-LILY/SummEval evaluation/tests/test_cider.py: CiderScorer (nlg-eval's copy of pycocoevalcap) on these
  // three candidate/reference pairs gives 2.5759014911864084.
  const cands = [
    "28-year-old chef found dead in San Francisco mall",
    "A 28-year-old chef who recently moved to San Francisco was found dead in the staircase of a local shopping center.",
    "The victim's brother said he cannot imagine anyone who would want to harm him,\"Finally, it went uphill again at him.\"",
  ];
  const refs = [
    "28-Year-Old Chef Found Dead at San Francisco Mall",
    "A 28-year-old chef who had recently moved to San Francisco was found dead in the stairwell of a local mall this week.",
    "But the victim's brother says he can't think of anyone who would want to hurt him, saying, \"Things were finally going well for him.\"",
  ];
  close(corpusCider(cands, refs.map((r) => [r])).score, 2.5759014911864084, 1e-12);
});

test("captionMetrics: COCOEvalCap names, agg_metrics = CIDEr + Bleu_4, perfect captions", () => {
  const refs = [["A red circle on the left."], ["Two blue squares at the top"], ["one green star in the middle"]];
  const m = captionMetrics(["a red circle on the left", "two blue squares at the top", "one green star in the middle"], refs);
  assert.equal(Object.keys(m), ["Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr", "agg_metrics"]);
  close(m["Bleu_4"]!, 1, 1e-6);
  close(m["ROUGE_L"]!, 1);
  assert.ok(m["CIDEr"]! > 5);
  close(m["agg_metrics"]!, m["CIDEr"]! + m["Bleu_4"]!);
  const bad = captionMetrics(["a dog", "a dog", "a dog"], refs);
  assert.ok(bad["agg_metrics"]! < 0.1 * m["agg_metrics"]!);
});

test("captionMetrics computes the stdlib's captioning metrics but those TFJS_METRICS_NOT_COMPUTED names (what `lavisc plan` lists)", () => {
  const m = captionMetrics(["a red circle"], [["a red circle"]]);
  const lavis = taskFacts(loadStdlib().registry, "captioning").metrics;
  const missing = TFJS_METRICS_NOT_COMPUTED["captioning"]!.metrics;
  assert.equal(Object.keys(m), lavis.filter((k) => !missing.includes(k)));
  assert.ok(missing.every((k) => lavis.includes(k)), "each one not computed is one LAVIS reports");
});

test.run();
