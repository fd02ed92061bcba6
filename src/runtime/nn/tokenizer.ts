// BERT uncased tokenisation: basic tokenisation (lower-case, strip accents, split on whitespace/punctuation/CJK)
// followed by greedy longest-match-first WordPiece over a vocab.txt list.

import { pySplit } from "../pythonText.js";

export const SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[ENC]", "[DEC]"] as const;

export interface Encoded {
  /** Row-major [batch, maxLen] token ids. */
  readonly ids: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  readonly mask: Float32Array;
  readonly batch: number;
  readonly maxLen: number;
}

const SKIPPED_IN_DECODE = new Set<string>(SPECIAL_TOKENS);

export class WordPieceTokenizer {
  private readonly index = new Map<string, number>();
  readonly padId: number;
  readonly unkId: number;
  readonly clsId: number;
  readonly sepId: number;
  /** BLIP's `enc_token_id`: replaces [CLS] for the image-grounded (ITM) text encoder. */
  readonly encId: number;
  /** BLIP's `bos_token_id` [DEC]: starts every decoder sequence (captions, VQA answers); [CLS] when the vocabulary lacks it. */
  readonly decId: number;

  constructor(readonly vocab: readonly string[]) {
    vocab.forEach((tok, i) => {
      if (!this.index.has(tok)) this.index.set(tok, i);
    });
    const need = (t: string) => {
      const id = this.index.get(t);
      if (id === undefined) throw new Error(`vocabulary lacks the special token ${t}`);
      return id;
    };
    this.padId = need("[PAD]");
    this.unkId = need("[UNK]");
    this.clsId = need("[CLS]");
    this.sepId = need("[SEP]");
    this.encId = this.index.get("[ENC]") ?? this.clsId;
    this.decId = this.index.get("[DEC]") ?? this.clsId;
  }

  get size(): number {
    return this.vocab.length;
  }

  /** BertTokenizer.decode(ids, skip_special_tokens=True) with clean_up_tokenization_spaces: word pieces joined. */
  decode(ids: readonly number[]): string {
    const tokens = ids.map((i) => this.vocab[i] ?? "[UNK]").filter((t) => !SKIPPED_IN_DECODE.has(t));
    return tokens
      .join(" ")
      .replace(/ ##/g, "")
      .trim()
      .replace(/ \./g, ".").replace(/ \?/g, "?").replace(/ !/g, "!").replace(/ ,/g, ",").replace(/ ' /g, "'")
      .replace(/ n't/g, "n't").replace(/ 'm/g, "'m").replace(/ 's/g, "'s").replace(/ 've/g, "'ve").replace(/ 're/g, "'re");
  }

  /**
   * A vocab.txt (one token a line, id = line number), then `added` appended in order where absent, as HF's
   * `add_special_tokens` (a token already in the vocabulary keeps its id). BLIP archs pass the stdlib's `added_tokens`; plain
   * BERT (ALBEF's med_config_albef.json) and CLIP pass nothing.
   */
  static fromVocabText(text: string, added: readonly string[] = []): WordPieceTokenizer {
    return new WordPieceTokenizer(WordPieceTokenizer.vocabTextTokens(text, added));
  }

  /** The tokens `fromVocabText` would use, without requiring the special tokens (callers check them first). */
  static vocabTextTokens(text: string, added: readonly string[] = []): string[] {
    const vocab = text.split(/\r?\n/).map((l) => l.trimEnd());
    while (vocab.length && vocab[vocab.length - 1] === "") vocab.pop();
    for (const t of added) if (!vocab.includes(t)) vocab.push(t);
    return vocab;
  }

  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const word of basicTokenize(text)) out.push(...this.wordPiece(word));
    return out;
  }

  private wordPiece(word: string): string[] {
    const chars = [...word];
    if (chars.length > 100) return ["[UNK]"];
    const pieces: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | null = null;
      while (start < end) {
        const sub = (start > 0 ? "##" : "") + chars.slice(start, end).join("");
        if (this.index.has(sub)) {
          found = sub;
          break;
        }
        end--;
      }
      if (found === null) return ["[UNK]"];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }

  /** [CLS] tokens [SEP], truncated to maxLen (keeping [SEP]) and padded with [PAD] (HF padding="max_length"). */
  encode(texts: readonly string[], maxLen: number): Encoded {
    const ids = new Int32Array(texts.length * maxLen).fill(this.padId);
    const mask = new Float32Array(texts.length * maxLen);
    texts.forEach((text, row) => {
      const toks = this.tokenize(text).slice(0, Math.max(0, maxLen - 2));
      const seq = [this.clsId, ...toks.map((t) => this.index.get(t) ?? this.unkId), this.sepId];
      seq.forEach((id, j) => {
        ids[row * maxLen + j] = id;
        mask[row * maxLen + j] = 1;
      });
    });
    return { ids, mask, batch: texts.length, maxLen };
  }
}

/**
 * HF BertTokenizer's BasicTokenizer as BLIP builds it (`BertTokenizer.from_pretrained("bert-base-uncased")`:
 * do_lower_case, tokenize_chinese_chars, strip_accents unset), step by step as transformers'
 * models/bert/tokenization_bert.py `BasicTokenizer.tokenize` runs them: `_clean_text` (drops U+0000, U+FFFD and every
 * "control" character, Unicode category C*, except tab, line feed and carriage return, which become spaces with the
 * other whitespace), `_tokenize_chinese_chars` (spaces around CJK ideographs), NFC (later transformers versions;
 * the NFD that follows undoes it), `whitespace_tokenize` (Python's str.split()), then per word lower-casing, accent stripping (NFD without category
 * Mn) and `_run_split_on_punc`; the words are split on whitespace once more.
 *
 * Unicode categories come from the engine's tables (`\p{C}`, `\p{Zs}`, `\p{Mn}`, `\p{P}`: Node's ICU), HF's from the
 * Python's unicodedata (Python 3.11: Unicode 14.0). They agree on every character both versions assign; a code point
 * one version leaves unassigned (category Cn, dropped as a control character) and a later one assigns is kept by the
 * newer side only.
 */
export function basicTokenize(text: string): string[] {
  let spaced = "";
  for (const ch of cleanText(text)) spaced += isCjk(ch) ? ` ${ch} ` : ch;
  const words: string[] = [];
  for (const word of pySplit(spaced.normalize("NFC"))) words.push(...splitOnPunctuation(stripAccents(word.toLowerCase())));
  return pySplit(words.join(" "));
}

/** `_clean_text`: U+0000, U+FFFD and control characters (`_is_control`) dropped, whitespace (`_is_whitespace`) made a space. */
function cleanText(text: string): string {
  let out = "";
  for (const ch of text) {
    if (ch === "\u0000" || ch === "\ufffd") continue;
    if (ch === "\t" || ch === "\n" || ch === "\r" || ch === " " || /\p{Zs}/u.test(ch)) out += " ";
    else if (!/\p{C}/u.test(ch)) out += ch;
  }
  return out;
}

/** `_run_strip_accents`: NFD, then every nonspacing mark (category Mn) removed. */
function stripAccents(word: string): string {
  return word.normalize("NFD").replace(/\p{Mn}/gu, "");
}

/** `_run_split_on_punc`: each punctuation character a word of its own. */
function splitOnPunctuation(word: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (const ch of word) {
    if (isPunctuation(ch)) {
      if (cur) out.push(cur);
      out.push(ch);
      cur = "";
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/** `_is_punctuation`: ASCII non-alphanumerics (33-47, 58-64, 91-96, 123-126) and Unicode category P*. */
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(ch);
}

/** `_is_chinese_char`: the CJK Unified Ideographs blocks and extensions A to E, and the compatibility ideographs. */
const CJK_RANGES: readonly (readonly [number, number])[] = [
  [0x4e00, 0x9fff], [0x3400, 0x4dbf], [0x20000, 0x2a6df], [0x2a700, 0x2b73f], [0x2b740, 0x2b81f], [0x2b820, 0x2ceaf],
  [0xf900, 0xfaff], [0x2f800, 0x2fa1f],
];

function isCjk(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return CJK_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
}

export interface BuildVocabOptions {
  /** Keep words seen at least this often (default 1). */
  readonly minFreq?: number;
  /** Upper bound on the vocabulary size including special and character tokens. */
  readonly maxSize?: number;
}

/**
 * A small vocabulary for models trained from scratch: special tokens, every character seen (plain and "##" forms, so
 * any seen word stays tokenisable), then whole words by descending frequency (ties alphabetical, for determinism).
 */
export function buildVocab(texts: Iterable<string>, opts: BuildVocabOptions = {}): string[] {
  const freq = new Map<string, number>();
  const chars = new Set<string>();
  for (const t of texts) {
    for (const w of basicTokenize(t)) {
      freq.set(w, (freq.get(w) ?? 0) + 1);
      for (const ch of w) chars.add(ch);
    }
  }
  const vocab: string[] = [...SPECIAL_TOKENS];
  const seen = new Set(vocab);
  const push = (t: string) => {
    if (!seen.has(t)) {
      seen.add(t);
      vocab.push(t);
    }
  };
  const sortedChars = [...chars].sort();
  for (const c of sortedChars) push(c);
  for (const c of sortedChars) push("##" + c);
  const words = [...freq.entries()].filter(([, n]) => n >= (opts.minFreq ?? 1)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [w] of words) {
    if (opts.maxSize !== undefined && vocab.length >= opts.maxSize) break;
    push(w);
  }
  return vocab;
}
