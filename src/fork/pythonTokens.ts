// Python source as tokens and logical lines, for reading a repository's registrations without running it. Enough of
// Python's lexical rules for that: strings of every prefix and quoting (triple quotes, f-strings kept as text),
// comments, implicit line joining inside brackets and backslash continuations. Never throws: text it does not
// understand becomes `op` tokens, which later stages skip.

export type TokenKind = "name" | "number" | "string" | "op";

export interface Token {
  readonly kind: TokenKind;
  /** The source text (for strings, with prefix and quotes). */
  readonly text: string;
  /** For strings: the value (escapes of plain strings decoded); for f-strings, the text between the quotes. */
  readonly value?: string;
  /** For strings: an f-string, whose `{...}` parts are code. */
  readonly formatted?: boolean;
  readonly start: number;
  readonly end: number;
}

export interface LogicalLine {
  readonly tokens: readonly Token[];
  /** Column of the first token (the statement's indentation). */
  readonly indent: number;
  /** 1-based line of the first token. */
  readonly line: number;
}

const STRING_START = /^([rRbBuUfF]{0,2})('''|"""|'|")/;
const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?j?)/;
const NAME = /^[A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*/;
const OPS = ["**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="];

export function logicalLines(src: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let current: Token[] = [];
  let depth = 0;
  let indent = 0;
  let lineNo = 1;
  let lineStart = 0;
  let firstLine = 1;
  let i = 0;
  const flush = () => {
    if (current.length) lines.push({ tokens: current, indent, line: firstLine });
    current = [];
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === "\n") {
      lineNo++;
      i++;
      lineStart = i;
      if (depth === 0) flush();
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\f") {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    if (c === "\\" && (src[i + 1] === "\n" || (src[i + 1] === "\r" && src[i + 2] === "\n"))) {
      i += src[i + 1] === "\n" ? 2 : 3;
      lineNo++;
      lineStart = i;
      continue;
    }
    if (!current.length) {
      indent = columnOf(src, lineStart, i);
      firstLine = lineNo;
    }
    const rest = src.slice(i, i + 4);
    const sm = STRING_START.exec(src.slice(i, i + 5));
    if (sm && (sm[1]!.length === 0 || /^[rRbBuUfF]+$/.test(sm[1]!))) {
      const tok = readString(src, i, sm[1]!, sm[2]!);
      for (let k = tok.start; k < tok.end; k++) if (src[k] === "\n") lineNo++;
      current.push(tok);
      i = tok.end;
      continue;
    }
    const nm = NAME.exec(src.slice(i, i + 256));
    if (nm) {
      current.push({ kind: "name", text: nm[0], start: i, end: i + nm[0].length });
      i += nm[0].length;
      continue;
    }
    const num = /[0-9.]/.test(c) ? NUMBER.exec(src.slice(i, i + 64)) : null;
    if (num && num[0] !== ".") {
      current.push({ kind: "number", text: num[0], start: i, end: i + num[0].length });
      i += num[0].length;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o)) ?? c;
    if (op === "(" || op === "[" || op === "{") depth++;
    else if ((op === ")" || op === "]" || op === "}") && depth > 0) depth--;
    current.push({ kind: "op", text: op, start: i, end: i + op.length });
    i += op.length;
  }
  flush();
  return lines;
}

function columnOf(src: string, lineStart: number, at: number): number {
  let col = 0;
  for (let k = lineStart; k < at; k++) col = src[k] === "\t" ? col + 8 - (col % 8) : col + 1;
  return col;
}

function readString(src: string, start: number, prefix: string, quote: string): Token {
  const raw = /[rR]/.test(prefix);
  let i = start + prefix.length + quote.length;
  const bodyStart = i;
  const triple = quote.length === 3;
  while (i < src.length) {
    if (src[i] === "\\") {
      i += 2;
      continue;
    }
    if (src.startsWith(quote, i)) break;
    if (!triple && src[i] === "\n") break; // an unterminated string ends at the line
    i++;
  }
  const body = src.slice(bodyStart, Math.min(i, src.length));
  const end = Math.min(src.length, src.startsWith(quote, i) ? i + quote.length : i);
  return {
    kind: "string",
    text: src.slice(start, end),
    value: raw ? body : unescape(body),
    formatted: /[fF]/.test(prefix),
    start,
    end,
  };
}

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v", "\n": "" };

function unescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.|\n)/g, (m, e: string) => {
    if (e.length > 1 && (e[0] === "x" || e[0] === "u")) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? m;
  });
}
