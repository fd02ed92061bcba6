import type { IToken, IRecognitionException, TokenType } from "chevrotain";
import { tokenMatcher } from "./chevrotain.js";
import { diag, SourceFile, type Diagnostic } from "../diagnostics/index.js";
import * as T from "./tokens.js";
import { isLineEnd, lineBreakBetween } from "./lineBreaks.js";
import { describeRule, describeToken } from "./parser.js";

// Turns chevrotain's recognition errors (and the AST builder's syntax errors) into diagnostics, one per mistake.
// Recovery often reports a mistake again a few tokens later (a number re-read as a key, a `}` it no longer expects);
// those cascades are dropped by the rules in `syntaxDiagnostics`.

interface Candidate {
  readonly diagnostic: Diagnostic;
  /** Offset of the token the error was raised at (before any re-anchoring): what cascade detection compares. */
  readonly anchor: number;
  /** Always reported (lexer errors, string errors): they still count as earlier errors for the cascade rules. */
  readonly fixed: boolean;
  /** Rule stack and expectation of a parser error: the same again right after is the same mistake. */
  readonly repeatKey: string | null;
  /** Raised at the top level, where declarations are expected. */
  readonly topLevel: boolean;
}

const operandBefore: TokenType[] = [
  T.Equals, T.Plus, T.Minus, T.Star, T.Slash, T.Percent, T.CompareOp, T.And, T.Or, T.Not, T.In, T.If, T.Then, T.Else, T.Comma,
  T.LParen, T.LBracket, T.DollarLCurly,
];
const typeBefore: TokenType[] = [T.Colon, T.Pipe, T.Lt];
const nameBefore: TokenType[] = [T.Task, T.Model, T.Data, T.Type, T.Experiment, T.Schema, T.Enum, T.Extends, T.As];
const closers = /^'[)\]}]'$/;

export interface SyntaxErrorInput {
  readonly path: string;
  readonly text: string;
  readonly tokens: readonly IToken[];
  readonly parserErrors: readonly IRecognitionException[];
  /** Tokens the grammar skipped as `strayToken` (reported like a parser error, and re-anchored the same way). */
  readonly strayTokens: readonly IToken[];
  /** Lexer and AST-builder diagnostics, already made. */
  readonly otherDiagnostics: readonly Diagnostic[];
}

export function syntaxDiagnostics(input: SyntaxErrorInput): Diagnostic[] {
  const { tokens, text } = input;
  const source = new SourceFile(input.path, text);
  const lineOf = (offset: number) => source.position(offset).line;
  const firstTokenAfter = (offset: number) => {
    let lo = 0, hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid]!.startOffset <= offset) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  const startsLine = (i: number) => i === 0 || lineBreakBetween(text, tokens[i - 1]!, tokens[i]!);

  const candidates: Candidate[] = input.otherDiagnostics.map((d) => ({
    diagnostic: d,
    anchor: d.span?.start ?? 0,
    // The builder's own LV1002s (a missing `=`) can be cascades like the parser's.
    fixed: d.code !== "LV1002",
    repeatKey: null,
    topLevel: d.message.startsWith(`Expected ${describeRule("declaration")}`),
  }));
  for (const e of input.parserErrors) candidates.push(fromRecognitionError(e, input, firstTokenAfter, startsLine));
  for (const t of input.strayTokens) {
    const e = { token: t, message: `Expected ${describeRule("member")} but found ${describeToken(t)}.`, context: { ruleStack: ["body"] } };
    candidates.push(fromRecognitionError(e as unknown as IRecognitionException, input, firstTokenAfter, startsLine));
  }
  candidates.sort((a, b) => a.anchor - b.anchor || Number(b.fixed) - Number(a.fixed));

  // An unterminated string swallows the rest of its line, closing brackets included: what follows is one mistake.
  const openString = input.otherDiagnostics.find((d) => d.code === "LV1003")?.span?.start ?? Infinity;
  const linesWithError = new Set<number>();
  const out: Diagnostic[] = [];
  let lastAnchor: number | null = null;
  let lastRepeatKey: string | null = null;
  for (const c of candidates) {
    const d = c.diagnostic;
    const line = lineOf(d.span?.start ?? 0);
    const cascade =
      // Recovery re-syncs inside the statement it gave up on; a second error on the same line is that one mistake again.
      linesWithError.has(line) ||
      (d.span !== null && d.span.start > openString && /^Expected '[\]})]'/.test(d.message)) ||
      // No new line began since the previous error: recovery has not yet reached the next member.
      (lastAnchor !== null && !lineBeginsBetween(lastAnchor, c.anchor)) ||
      // The same rule still expects the same token (a list left open meets one line after another).
      (c.repeatKey !== null && c.repeatKey === lastRepeatKey) ||
      // After a mistake that broke a declaration, its members and its closing `}` are met at the top level.
      (lastAnchor !== null && c.topLevel && (text[c.anchor] === "}" || !startsColumnOne(c.anchor)));
    lastAnchor = c.anchor;
    lastRepeatKey = c.repeatKey;
    if (cascade && !c.fixed) continue;
    linesWithError.add(line);
    out.push(d);
  }
  return out;

  function startsColumnOne(offset: number): boolean {
    return offset === 0 || isLineEnd(text.charCodeAt(offset - 1));
  }

  /** True when a token in (from, to] is the first on its line. */
  function lineBeginsBetween(from: number, to: number): boolean {
    for (let i = firstTokenAfter(from); i < tokens.length && tokens[i]!.startOffset <= to; i++) if (startsLine(i)) return true;
    return false;
  }
}

function fromRecognitionError(
  e: IRecognitionException,
  input: SyntaxErrorInput,
  firstTokenAfter: (offset: number) => number,
  startsLine: (i: number) => boolean,
): Candidate {
  const { tokens, path, text } = input;
  const t = e.token;
  const msg = e.message.replace(/\.$/, "");
  const m = /^Expected (.*) but found (.*)$/s.exec(msg);
  let expected = m?.[1] ?? msg;
  let found = m?.[2] ?? "this";
  let start: number, end: number;
  let anchor: number;
  if (!t || t.tokenType.name === "EOF" || Number.isNaN(t.startOffset)) {
    const prev = (e as { previousToken?: IToken }).previousToken;
    const lastEnd = tokens.length ? tokens[tokens.length - 1]!.endOffset! + 1 : 0;
    start = prev && !Number.isNaN(prev.startOffset) ? prev.endOffset! + 1 : lastEnd;
    start = end = Math.min(start, text.length);
    anchor = start;
  } else {
    start = anchor = t.startOffset;
    end = t.endOffset! + 1;
    const i = firstTokenAfter(t.startOffset) - 1;
    // The error surfaced on the next line, but the mistake is at the end of this one: a value (or a clause's name)
    // that swallowed the next member's key (`init_lr =` then `max_epoch = 5`), or a bracket left open at a line end.
    let keyStart = -1;
    if (tokens[i] === t && (tokenMatcher(t, T.Equals) || tokenMatcher(t, T.Colon) || tokenMatcher(t, T.LCurly))) {
      let k = i - 1;
      if (k >= 0 && isKeySegment(tokens[k]!)) {
        while (k >= 2 && tokenMatcher(tokens[k - 1]!, T.Dot) && isKeySegment(tokens[k - 2]!)) k -= 2;
        keyStart = k;
      }
    } else if (tokens[i] === t && closers.test(expected)) {
      keyStart = i;
    }
    if (keyStart > 0 && startsLine(keyStart)) {
      const prev = tokens[keyStart - 1]!;
      start = end = prev.endOffset! + 1;
      found = "the end of the line";
      if (typeBefore.some((tt) => tokenMatcher(prev, tt))) expected = "a type";
      else if (nameBefore.some((tt) => tokenMatcher(prev, tt))) expected = "a name or a string";
      else if (operandBefore.some((tt) => tokenMatcher(prev, tt))) expected = "a value";
    }
  }
  const span = { file: path, start, end };
  const diagnostic =
    /after the end of the declarations/.test(msg) || expected === "EOF"
      ? diag("LV1006", span, { found: (/after the end/.test(msg) ? msg.replace(/^Unexpected (.*) after.*$/s, "$1") : found).replace(/^the string /, "string ") })
      : diag("LV1002", span, { expected, found });
  const repeatKey = closers.test(m?.[1] ?? "") ? `${e.context?.ruleStack?.join(">")}|${m?.[1]}` : null;
  return { diagnostic, anchor, fixed: false, repeatKey, topLevel: diagnostic.code === "LV1006" };
}

function isKeySegment(t: IToken): boolean {
  return tokenMatcher(t, T.Name) || tokenMatcher(t, T.StringLiteral) || tokenMatcher(t, T.IntLiteral);
}
