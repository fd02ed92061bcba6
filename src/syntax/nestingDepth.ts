import type { IToken, TokenType } from "chevrotain";
import {
  And, DollarLCurly, Dot, EqEq, Gt, GtEq, If, In, Is, LBracket, LCurly, LParen, Lt, LtEq, Minus, Not, NotEq, Or, Plus, RBracket, RCurly,
  RParen, Slash, Star,
} from "./tokens.js";
import { diag, type Diagnostic } from "../diagnostics/index.js";
import { MAX_AST_DEPTH, MAX_NESTING } from "./limits.js";

// The parser refuses a `.lv` file that nests deeper than limits.ts allows, with a located diagnostic, so later stages
// (all recursive) never see one.

const OPEN = new Set<TokenType>([LCurly, DollarLCurly, LBracket, LParen]);
const CLOSE = new Set<TokenType>([RCurly, RBracket, RParen]);
const PREFIX = new Set<TokenType>([Minus, Not]);
/** Tokens that can add a level to the AST without a bracket (operators, `if`). */
const OPERATOR = new Set<TokenType>([Plus, Minus, Star, Slash, And, Or, Not, If, Is, In, EqEq, NotEq, LtEq, GtEq, Lt, Gt]);

/**
 * LV1013 at the first token that nests brackets, prefix operators and dotted key segments deeper than MAX_NESTING, or null; and whether
 * a top-level declaration has enough operators that its AST could still be too deep (then `astNesting` must look).
 * Operators are counted per declaration (from one return to bracket depth 0 to the next): an AST path never leaves
 * its declaration, so a long file of ordinary declarations is not walked a second time.
 */
export function bracketNesting(tokens: readonly IToken[], file: string): { tooDeep: Diagnostic | null; mayBeDeep: boolean } {
  let depth = 0;
  let prefixRun = 0;
  let dotRun = 0; // the segments of a dotted key or reference so far: `a.b.c = 1` nests as `a { b { c = 1 } }`
  let operators = 0;
  let mostOperators = 0;
  // Index loops here and below: they run over every token and AST node of a parse, where an unoptimized for-of
  // allocated an iterator result per step.
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (OPEN.has(type)) depth++;
    else if (CLOSE.has(type)) {
      depth = Math.max(0, depth - 1);
      if (depth === 0) (mostOperators = Math.max(mostOperators, operators)), (operators = 0);
    } else if (OPERATOR.has(type)) operators++;
    prefixRun = PREFIX.has(type) ? prefixRun + 1 : 0;
    if (type === Dot) dotRun++;
    else if (tokens[i - 1]?.tokenType !== Dot) dotRun = 0; // a segment after a dot keeps the run going
    if (depth + prefixRun + dotRun > MAX_NESTING) {
      const what = dotRun > 0 ? "brackets and the segments of a dotted key" : prefixRun > 0 ? "brackets and prefix operators" : "brackets";
      const end = t.endOffset === undefined ? t.startOffset + 1 : t.endOffset + 1;
      return { tooDeep: tooDeep(file, t.startOffset, end, what), mayBeDeep: true };
    }
  }
  // A bracket level is at most a few AST nodes, an operator one: below this many operators the AST cannot be too deep.
  return { tooDeep: null, mayBeDeep: Math.max(mostOperators, operators) > MAX_AST_DEPTH - 4 * MAX_NESTING };
}

/**
 * LV1013 at the first AST node deeper than MAX_AST_DEPTH (an operator chain as long as `1 + 1 + ... + 1` with
 * thousands of terms parses flat but builds a deep tree), or null. Iterative, so it cannot overflow itself.
 */
export function astNesting(root: object, file: string): Diagnostic | null {
  const nodes: unknown[] = [root];
  const depths: number[] = [0];
  while (nodes.length) {
    const node = nodes.pop() as Record<string, unknown>;
    const depth = depths.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (item !== null && typeof item === "object") (nodes.push(item), depths.push(depth));
      }
      continue;
    }
    const d = typeof node["kind"] === "string" ? depth + 1 : depth;
    if (d > MAX_AST_DEPTH) {
      const span = node["span"] as { start: number; end: number } | undefined;
      return tooDeep(file, span?.start ?? 0, span?.end ?? 0, "operators and brackets");
    }
    for (const k in node) {
      const v = node[k];
      if (k !== "span" && v !== null && typeof v === "object") (nodes.push(v), depths.push(d));
    }
  }
  return null;
}

/** A stack overflow that escaped the guards above (a construct they do not count), as the same diagnostic. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

export function tooDeep(file: string, start: number, end: number, what: string): Diagnostic {
  return diag("LV1013", { file, start, end: Math.max(end, start + 1) }, { max: MAX_NESTING, what });
}
