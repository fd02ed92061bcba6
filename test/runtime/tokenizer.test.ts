import { modelConfigOf } from "../harness/modelConfig.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { WordPieceTokenizer, basicTokenize, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { blipAddedTokens, modelTextSettings } from "../../src/runtime/models/index.js";
import { BlipCaption } from "../../src/runtime/models/blipCaption.js";
import { readBlipCaptionConfig } from "../../src/runtime/models/blipCaptionConfig.js";
import { lmTargets } from "../../src/runtime/models/blipCaptionText.js";
import { initBackend } from "../../src/runtime/backend/initBackend.js";

test("basic tokenisation lower-cases, strips accents and splits punctuation", () => {
  assert.equal(basicTokenize("A Café, in Zürich!  (2 dogs)"), ["a", "cafe", ",", "in", "zurich", "!", "(", "2", "dogs", ")"]);
});

// Expected tokens from HF transformers' BasicTokenizer (tokenization_bert.py) under Python 3.11 (unicodedata 14.0).
const HF_BASIC: readonly [string, string[]][] = [
  ["co\u00adoperate", ["cooperate"]], // soft hyphen: Cf, dropped by _clean_text
  ["zero\u200bwidth", ["zerowidth"]], // zero-width space: Cf
  ["a\u200eb", ["ab"]], // left-to-right mark: Cf
  ["a\u000bb", ["ab"]], // vertical tab: Cc, not one of the three control characters kept as whitespace
  ["a\u001cb", ["ab"]],
  ["a\u0085b", ["ab"]],
  ["a\ufeffb", ["ab"]],
  ["a\ue000b", ["ab"]], // private use: Co
  ["a\u0000b\ufffdc", ["abc"]],
  ["x\u2028y", ["x", "y"]], // line separator: Zl, kept, then a separator for str.split()
  ["hello\tworld", ["hello", "world"]],
  ["a\u3000b", ["a", "b"]],
  ["a\u{2a700}b", ["a", "\u{2a700}", "b"]], // CJK extension C
  ["a\u{2b820}b", ["a", "\u{2b820}", "b"]], // CJK extension E
  ["caf\u00e9 na\u00efve", ["cafe", "naive"]],
];

test("basic tokenisation drops control and format characters and splits CJK extensions as HF's BasicTokenizer", () => {
  for (const [text, tokens] of HF_BASIC) assert.equal(basicTokenize(text), tokens, JSON.stringify(text));
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

/** A bert-base-uncased-shaped vocab.txt in miniature: [PAD], [unused], [UNK] [CLS] [SEP] [MASK], then words. */
const BERT_LIKE = ["[PAD]", "[unused0]", "[unused1]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "picture", "of", "dog", "##s", "."];
const bertText = BERT_LIKE.join("\n") + "\n";
/** What BLIP's init_tokenizer adds to a BERT vocab.txt: the stdlib's `added_tokens` of a BLIP med config ([DEC], [ENC]). */
const BLIP_ADDED_TOKENS = blipAddedTokens(modelConfigOf({ arch: "blip_caption", model_type: "base_coco" }));

test("BLIP's tokenizer from a BERT vocab.txt: [DEC] then [ENC] appended, as init_tokenizer's add_special_tokens", () => {
  const tok = WordPieceTokenizer.fromVocabText(bertText, BLIP_ADDED_TOKENS);
  assert.is(tok.size, BERT_LIKE.length + 2);
  assert.equal(tok.vocab.slice(0, BERT_LIKE.length), BERT_LIKE, "BERT's ids are unchanged");
  assert.is(tok.decId, BERT_LIKE.length, "[DEC] = 30522 over bert-base-uncased");
  assert.is(tok.encId, BERT_LIKE.length + 1, "[ENC] = 30523");
  assert.equal([tok.padId, tok.unkId, tok.clsId, tok.sepId], [0, 3, 4, 5]);
  assert.equal(Array.from(tok.encode(["A picture of dogs."], 8).ids), [4, 7, 8, 9, 10, 11, 12, 5]);
  // Windows line ends and a missing final newline read the same.
  assert.equal(WordPieceTokenizer.fromVocabText(BERT_LIKE.join("\r\n"), BLIP_ADDED_TOKENS).vocab, tok.vocab);
});

test("added tokens already in the vocabulary keep their ids; plain BERT adds nothing", () => {
  const withEnc = WordPieceTokenizer.fromVocabText([...BERT_LIKE, "[ENC]"].join("\n"), BLIP_ADDED_TOKENS);
  assert.is(withEnc.encId, BERT_LIKE.length);
  assert.is(withEnc.decId, BERT_LIKE.length + 1);
  assert.is(withEnc.size, BERT_LIKE.length + 2);
  const plain = WordPieceTokenizer.fromVocabText(bertText, blipAddedTokens({ med_config_path: "configs/models/med_config_albef.json" }));
  assert.is(plain.size, BERT_LIKE.length);
  assert.is(plain.decId, plain.clsId, "no [DEC]: decoders start from [CLS]");
  assert.is(plain.encId, plain.clsId);
  // A vocabulary lavisc built already has both (ids 5 and 6): nothing is appended, so vocab_file = that file is exact.
  const built = buildVocab(["a red square"]);
  assert.equal(WordPieceTokenizer.fromVocabText(built.join("\n"), BLIP_ADDED_TOKENS).vocab, built);
});

test("which archs add [DEC]/[ENC] (stdlib `added_tokens`): BLIP's med configs (vocab 30524) yes, ALBEF/ALPRO's plain BERT no, CLIP no", () => {
  const added = (model: { arch: string; model_type: string } & Record<string, unknown>) => blipAddedTokens(modelConfigOf(model));
  assert.equal(added({ arch: "blip_caption", model_type: "base_coco" }), ["[DEC]", "[ENC]"]);
  assert.equal(added({ arch: "blip_caption", model_type: "large_coco" }), ["[DEC]", "[ENC]"]);
  assert.equal(added({ arch: "blip_retrieval", model_type: "coco", med_config_path: "configs/models/bert_config_alpro.json" }), []);
  assert.equal(added({ arch: "albef_classification", model_type: "ve" }), []);
  for (const arch of ["blip_caption", "blip_vqa", "blip_retrieval", "blip_classification"]) {
    const s = modelTextSettings({ arch, modelType: "tiny", config: modelConfigOf({ arch, model_type: "tiny", num_classes: 3 }), loadWeights: null });
    assert.ok(!Array.isArray(s) && s.addedTokens.join() === "[DEC],[ENC]", arch);
  }
  const clip = modelTextSettings({ arch: "clip", modelType: "tiny", config: modelConfigOf({ arch: "clip", model_type: "tiny" }), loadWeights: null });
  assert.ok(!Array.isArray(clip) && clip.addedTokens.length === 0);
});

test("BLIP captioning's decoder starts from [DEC] (bos_token_id) with a BERT vocab.txt", async () => {
  await initBackend("wasm");
  const tok = WordPieceTokenizer.fromVocabText(bertText, BLIP_ADDED_TOKENS);
  const cfg = readBlipCaptionConfig(modelConfigOf({
    arch: "blip_caption", model_type: "tiny", image_size: 16, patch_size: 8, vit_width: 16, vit_depth: 1, vit_heads: 2, text_width: 16, text_layers: 1, text_heads: 2, max_txt_len: 8, prompt: "a picture of ",
  }));
  if (Array.isArray(cfg)) throw new Error(cfg.join("; "));
  const model = new BlipCaption(cfg, tok, 1);
  try {
    assert.is((model as unknown as { bosId: number }).bosId, tok.decId);
    const t = lmTargets(tok.encode(["a picture of dogs"], 8), tok.decId, 4);
    assert.is(t.ids[0], BERT_LIKE.length, "the first input id is [DEC], not [CLS]");
    const rows = (await model.stateDict()).get("text_decoder.bert.embeddings.word_embeddings.weight")!.shape[0];
    assert.is(rows, BERT_LIKE.length + 2, "word embeddings have a row for [DEC] and [ENC], as a BLIP checkpoint's 30524");
  } finally {
    model.dispose();
  }
});

test("decode skips special tokens and joins word pieces as BertTokenizer.decode (captions and VQA answers)", () => {
  const tok = new WordPieceTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[ENC]", "[DEC]", "red", "##dish", "it", "'", "s", "?"]);
  assert.is(tok.decode([6, 7, 8, 3, 0]), "reddish");
  assert.is(tok.decode([6, 9, 10, 11, 7, 12]), "it's red?");
});

test.run();
