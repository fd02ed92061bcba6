import { lvLexer } from "../../src/syntax/lexer.js";

// Seeded token-level mistakes in a valid `.lv` text, for the parser's fuzz tests (and `${...}` pieces inside strings).

const punctuation = ["{", "}", "(", ")", "[", "]", ",", ";", ":", ".", "=", "?", "|", "<", ">", "-", "*", "${", '"', "/*", "//"];

const interpolationPieces = ["${recipe.seed}", "${model.arch}", "${", "}", "${.x}", "${a:b}", "\\${x}", "${init_lr}", "${nope.x}", "${ model . arch }"];

/** One mistake: a token deleted, duplicated or swapped with the next, punctuation inserted, or the text cut short. */
export function mutate(text: string, rnd: () => number): { text: string; how: string } {
  const tokens = lvLexer().tokenize(text).tokens;
  const pick = (n: number) => Math.floor(rnd() * n);
  if (tokens.length < 2) return { text: text.slice(0, pick(text.length + 1)), how: "truncate" };
  const i = pick(tokens.length - 1);
  const t = tokens[i]!, u = tokens[i + 1]!;
  const [s, e] = [t.startOffset, t.endOffset! + 1];
  switch (pick(5)) {
    case 0:
      return { text: text.slice(0, s) + text.slice(e), how: `delete ${t.image}` };
    case 1:
      return { text: text.slice(0, e) + " " + t.image + text.slice(e), how: `duplicate ${t.image}` };
    case 2:
      return { text: text.slice(0, s) + u.image + text.slice(e, u.startOffset) + t.image + text.slice(u.endOffset! + 1), how: `swap ${t.image} ${u.image}` };
    case 3: {
      // Inside a string, an interpolation piece (`"out/${recipe.seed}"`, a broken or escaped one); else punctuation.
      if (t.image.startsWith('"') && t.image.length > 1 && rnd() < 0.5) {
        const p = interpolationPieces[pick(interpolationPieces.length)]!;
        const at = s + 1 + pick(t.image.length - 1);
        return { text: text.slice(0, at) + p + text.slice(at), how: `insert ${p} in a string` };
      }
      const p = punctuation[pick(punctuation.length)]!;
      return { text: text.slice(0, s) + p + text.slice(s), how: `insert ${p}` };
    }
    default:
      return { text: text.slice(0, pick(text.length + 1)), how: "truncate" };
  }
}

