import { test } from "uvu";
import * as assert from "uvu/assert";
import { WordPieceTokenizer, basicTokenize, buildVocab } from "../../src/runtime/nn/tokenizer.js";

test("basic tokenisation lower-cases, strips accents and splits punctuation", () => {
  assert.equal(basicTokenize("A Café, in Zürich!  (2 dogs)"), ["a", "cafe", ",", "in", "zurich", "!", "(", "2", "dogs", ")"]);
});

test("greedy longest-match WordPiece with ## continuations and [UNK]", () => {
  const tok = new WordPieceTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "runn", "##ing", "run", "a", "."]);
  assert.equal(tok.tokenize("unaffable running."), ["un", "##aff", "##able", "runn", "##ing", "."]);
  assert.equal(tok.tokenize("xyz a"), ["[UNK]", "a"]);
  const e = tok.encode(["a running", "unaffable unaffable unaffable"], 6);
  assert.equal(Array.from(e.ids.subarray(0, 6)), [2, 11, 8, 9, 3, 0]);
  assert.equal(Array.from(e.mask.subarray(0, 6)), [1, 1, 1, 1, 1, 0]);
  assert.equal(Array.from(e.ids.subarray(6, 12)), [2, 5, 6, 7, 5, 3], "truncated, [SEP] kept");
  assert.is(tok.encId, tok.clsId, "no [ENC] in this vocab: falls back to [CLS]");
});

test("buildVocab: specials first, every character tokenisable, words by frequency then alphabetically", () => {
  const v = buildVocab(["a red square", "a red circle", "the red dot"], { maxSize: 60 });
  assert.equal(v.slice(0, 7), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[ENC]", "[DEC]"]);
  const words = v.filter((t) => t.length > 1 && !t.startsWith("##") && !t.startsWith("["));
  assert.equal(words.slice(0, 2), ["red", "a"].filter((w) => w.length > 1).concat(words.slice(1, 2)));
  const tok = new WordPieceTokenizer(v);
  assert.equal(tok.tokenize("red squid"), ["red", "s", "##q", "##u", "##i", "##d"]);
  assert.not.ok(tok.tokenize("red squid").includes("[UNK]"));
  assert.is(tok.encId, 5);
});

test.run();
