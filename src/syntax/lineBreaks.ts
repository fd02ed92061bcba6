import type { IToken } from "chevrotain";

// The lexer tracks offsets only (chevrotain's line and column tracking made lexing three to five times slower), so
// the grammar's same-line rules look at the text between two tokens instead.

/**
 * Whether a line break separates `before` from `after`, the next token. chevrotain's end-of-input token, and the
 * tokens its recovery inserts, have no offset: they count as on another line.
 */
export function lineBreakBetween(text: string, before: IToken, after: IToken): boolean {
  const from = before.endOffset! + 1;
  const to = after.startOffset;
  if (Number.isNaN(from) || Number.isNaN(to)) return true;
  for (let i = from; i < to; i++) if (isLineEnd(text.charCodeAt(i))) return true;
  return false;
}

/** Whether `token` is the first character of its line (column 1). */
export function startsLine(text: string, token: IToken): boolean {
  const at = token.startOffset;
  return at === 0 || (at > 0 && isLineEnd(text.charCodeAt(at - 1)));
}

/**
 * \n and \r end a line (\r\n, and a lone \r as old Mac files and editors have it), as `SourceFile` counts lines for
 * diagnostics (and gives line numbers to the syntax errors): a file with any of the three line ends parses the same.
 */
export function isLineEnd(charCode: number): boolean {
  return charCode === 10 || charCode === 13;
}
