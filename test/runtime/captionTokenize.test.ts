import { test } from "uvu";
import * as assert from "uvu/assert";
import { captionTokenize } from "../../src/runtime/metrics/captionTokenize.js";
import { ptbTokens } from "../../src/runtime/metrics/ptbTokens.js";
import { captionMetrics } from "../../src/runtime/metrics/captionMetrics.js";

// Expected outputs are what pycocoevalcap gives: Stanford CoreNLP's PTBTokenizer run as its ptbtokenizer.py runs it
// (`-preserveLines -lowerCase`, a 3.x PTBLexer compiled from source), then ptbtokenizer.py's PUNCTUATIONS filter
// (tylin/coco-caption pycocoevalcap/tokenizer/ptbtokenizer.py). Observed input/output pairs only; the comment on each
// names the Penn Treebank convention at work.
const PTB_CASES: readonly [caption: string, tokens: string, convention: string][] = [
  // The hunt's cases: curly quotes and the ellipsis character are tokens of their own, then dropped.
  ["A sign that says “stop” on a pole.", "a sign that says stop on a pole", "curly quotes are `` and ''"],
  ["A dog sitting on a couch…", "a dog sitting on a couch", "U+2026 is ..."],
  ["A sign says “Don’t walk” in the rain.", "a sign says do n't walk in the rain", "n't split off, curly apostrophe too"],
  ["‘Single quoted’ text", "single quoted text", "single curly quotes are ` and '"],
  ["Breakfast: eggs, bacon, toast, «and» O.J.", "breakfast eggs bacon toast and o.j.", "« » are quotes"],
  // Numbers keep their "." "," and ":"; "$" and "%" are tokens and not punctuation.
  ["It costs $5 for 3.5 lbs, 1,000 times, 50% off.", "it costs $ 5 for 3.5 lbs 1,000 times 50 % off", "numbers, $ and %"],
  ["The store's sign reads 24/7 and costs £5 or €10.", "the store 's sign reads 24\\/7 and costs # 5 or $ 10", "/ escaped, £ is #, € is $"],
  ["It's 10:30 on 12/25/2015.", "it 's 10:30 on 12\\/25\\/2015", "times and dates"],
  ["A 3.5lbs bag at 3:45pm, a 1/2lb one and a ½ cup.", "a 3.5 lbs bag at 3:45 pm a 1\\/2lb one and a 1\\/2 cup", "3.5 and 3:45 cut from letters"],
  ["Bananas for 99¢ or US$5 a pound.", "bananas for 99 cents or us$ 5 a pound", "¢ is cents, US$ one token"],
  // Abbreviations and acronyms keep their period.
  ["Mr. Smith at 9 a.m. in the U.S.A.", "mr. smith at 9 a.m. in the u.s.a.", "titles and acronyms"],
  ["A man on Main St. at Mt. Hood, etc.", "a man on main st. at mt. hood etc.", "abbreviations"],
  ["A man wearing a No. 7 jersey.", "a man wearing a no. 7 jersey", "No."],
  ["A sign with the letter B.", "a sign with the letter b.", "any single letter before a period"],
  ["The couch.", "the couch", "a word before a sentence-final period"],
  ["A train at 3 p.m… in the U.K!", "a train at 3 p. m in the u. k", "an acronym without its last period before punctuation"],
  ["A dog., a cat", "a dog. a cat", "a word keeps its period before , ; or :"],
  // Contractions and the possessive are split; hyphenated words stay whole.
  ["Two dogs won't stop barking; they can't, they cannot.", "two dogs wo n't stop barking they ca n't they can not", "won't, can't, cannot"],
  ["There's a cat on the car's hood; I'm sure you'll like it.", "there 's a cat on the car 's hood i 'm sure you 'll like it", "'s 'm 'll"],
  ["A 10-year-old boy in a t-shirt at 9 o'clock.", "a 10-year-old boy in a t-shirt at 9 o'clock", "hyphens, o'clock"],
  ["The boys' bikes.", "the boys bikes", "a closing ' is a quote"],
  ["O'Neil's rock'n'roll, y'all, ma'am, shouldn't've.", "o'neil 's rock 'n' roll y' all ma'am should n't 've", "apostrophes in words"],
  ["A sign that s'ays stop in the '90s", "a sign that s ays stop in the '90s", "an apostrophe inside a plain word is a quote"],
  // Brackets become -LRB- ..., lower-cased to "-lrb-", which PUNCTUATIONS ("-LRB-") does not remove.
  ["A jet (a Boeing 747) at the gate [left].", "a jet -lrb- a boeing 747 -rrb- at the gate -lrb- left -rrb-", "brackets"],
  // Runs of ? and ! are one token; only a single "?" or "!" is in PUNCTUATIONS. So are runs of curly quotes.
  ["Look at the dog!!! So cute?", "look at the dog !!! so cute", "?! runs"],
  ["He said: “‘stop’”.", "he said ``` stop '''", "a run of curly quotes is one token"],
  // Dashes: "--" and a lone "-" go, an en/em dash becomes "--"; "/" and "*" are escaped.
  ["Three people - two men — stand – near a red/white car *here*.", "three people two men stand near a red\\/white car \\* here \\*", "dashes, / and *"],
  ["AT&T and R&B, a&b, C++ and #hashtags", "at&t and r&b a & b c + + and #hashtags", "& between capitals, # before letters"],
  ["A dog with its head out of a car window 😀", "a dog with its head out of a car window", "characters beyond U+FFFF are dropped"],
];

test("captionTokenize gives PTBTokenizer's tokens after pycocoevalcap's PUNCTUATIONS filter", () => {
  for (const [caption, tokens, convention] of PTB_CASES) assert.is(captionTokenize(caption), tokens, `${caption} (${convention})`);
});

test("ptbTokens keeps case and punctuation: lower-casing and the filter are captionTokenize's", () => {
  assert.equal(ptbTokens(`He said "hi" (twice).`), ["He", "said", "``", "hi", "''", "-LRB-", "twice", "-RRB-", "."]);
});

test("known difference: no British-to-American spelling (pycocoevalcap: 'a gray cat colorful neighbors')", () => {
  assert.is(captionTokenize("A grey cat, colourful neighbours."), "a grey cat colourful neighbours");
});

test("the hunt's repro: curly quotes and an ellipsis in the references no longer cost a perfect candidate its score", () => {
  // pycocoevalcap tokenizes both references to the candidates exactly, so BLEU-4 is 1 and CIDEr-D 10 (its maximum).
  const m = captionMetrics(["a sign that says stop on a pole", "a dog sitting on a couch"], [["A sign that says “stop” on a pole."], ["A dog sitting on a couch…"]]);
  assert.ok(Math.abs(m["Bleu_4"]! - 1) < 1e-6, `Bleu_4 ${m["Bleu_4"]}`);
  assert.ok(Math.abs(m["CIDEr"]! - 10) < 1e-9, `CIDEr ${m["CIDEr"]}`);
});

test.run();
