// pycocoevalcap's PTBTokenizer (tylin/coco-caption pycocoevalcap/tokenizer/ptbtokenizer.py, PTBTokenizer.tokenize):
// each caption, newlines made spaces, goes through Stanford CoreNLP's PTBTokenizer with -preserveLines -lowerCase
// (a Java program; here ptbTokens.ts, written from PTB's conventions, then lower-casing), and the tokens in its
// PUNCTUATIONS list are dropped. The brackets' "-LRB-" ... are lower-cased to "-lrb-" before that filter, so they
// stay, as they do in pycocoevalcap. Where ptbTokens differs from CoreNLP: its file header and ./README.md.
import { ptbTokens } from "./ptbTokens.js";

// ptbtokenizer.py's PUNCTUATIONS.
const PUNCTUATIONS = new Set(["''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",", ":", "-", "--", "...", ";"]);

export function captionTokenize(text: string): string {
  return ptbTokens(text.replace(/\n/g, " "))
    .map((token) => token.toLowerCase())
    .filter((token) => !PUNCTUATIONS.has(token))
    .join(" ");
}
