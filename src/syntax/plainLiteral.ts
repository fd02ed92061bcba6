// A command-line value that is one plain literal (`3e-5`, `16`, `"a.json"`, `true`, `null`, `blip_caption`,
// `recipe.init_lr`), read without the lexer and parser: building them is most of the cost `--set` adds to a cold
// command. Anything else (a sign, a list, an escape in a string, spaces, a reserved word) returns null and takes
// parseExpression. For what it reads, the result is parseExpression's (test/syntax/plainLiteral.test.ts).
import type * as A from "./ast.js";
import { FLOAT_PATTERN, IDENTIFIER_PATTERN, INT_PATTERN, RESERVED_WORDS, floatLiteralValue } from "./literalPatterns.js";

const whole = (p: RegExp) => new RegExp(`^(?:${p.source})$`);
const INT = whole(INT_PATTERN);
const FLOAT = whole(FLOAT_PATTERN);
const NAME = whole(IDENTIFIER_PATTERN);
/** A closed string without escapes, line breaks or interpolations (`${`). */
const PLAIN_STRING = /^"(?:[^"\\\n\r$]|\$(?!\{))*"$/;
const reserved = new Set(RESERVED_WORDS);

/** The expression of `text` when it is one plain literal or dotted name, spans from offset 0 of `text`; else null. */
export function plainLiteral(text: string, file: string): A.Expr | null {
  const span = { file, start: 0, end: text.length };
  if (INT.test(text)) return { kind: "IntLit", value: Number(text), raw: text, span };
  if (FLOAT.test(text)) return { kind: "FloatLit", value: floatLiteralValue(text), raw: text, span };
  if (PLAIN_STRING.test(text)) return { kind: "StringLit", value: text.slice(1, -1), raw: text, span };
  if (text === "true" || text === "false") return { kind: "BoolLit", value: text === "true", span };
  if (text === "null") return { kind: "NullLit", span };
  const segments = text.split(".");
  if (!segments.every((s) => NAME.test(s) && !reserved.has(s) && !FLOAT.test(s))) return null;
  let at = 0;
  const path = segments.map((name): A.Ident => {
    const ident: A.Ident = { kind: "Ident", name, quoted: false, span: { file, start: at, end: at + name.length } };
    at += name.length + 1;
    return ident;
  });
  return { kind: "Ref", path, interpolated: false, span };
}
