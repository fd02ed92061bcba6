// Stand-in for pycocoevalcap's PTBTokenizer (a Java program): lower-case, split punctuation off words and drop it,
// as PTBTokenizer + its punctuation filter do for plain captions. Differences: no contraction splitting ("don't"
// stays one token) and no PTB bracket escapes; hyphens and apostrophes inside a word are kept, as PTB keeps them.

const PUNCT = /[.,!?:;"()[\]{}`]|(?<![\p{L}\p{N}])['-]+|['-]+(?![\p{L}\p{N}])|\.{3}/gu;

export function captionTokenize(text: string): string {
  return text
    .toLowerCase()
    .replace(PUNCT, " ")
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .join(" ");
}
