import type { IToken } from "chevrotain";
import type * as A from "./ast.js";

// Operator precedence for the flat `expression` rule of parser.ts: the parser keeps operands and operators in source
// order, and this turns them into a tree by precedence climbing. Loosest first:
//   or < and < not < comparisons, `is`, `in` (non-associative) < + - < * / % < unary -

/** One element of an expression in source order. Prefix operators are split off their operand. */
export type OperatorItem<Atom> =
  | { readonly kind: "prefix"; readonly token: IToken }
  | { readonly kind: "atom"; readonly atom: Atom }
  | { readonly kind: "infix"; readonly token: IToken }
  | { readonly kind: "is"; readonly token: IToken; readonly negated: IToken | undefined; readonly what: IToken | undefined }
  | { readonly kind: "in"; readonly token: IToken; readonly negated: boolean };

export interface OperatorHooks<Atom> {
  atom(a: Atom): A.Expr;
  missing(): A.Expr;
  /** Records a token's span (the AST builder tracks the last real token for `Missing` spans). */
  tokenSpan(t: IToken): A.Expr["span"];
  /** An operator where the grammar of precedence allows none (`1 + not x`, `a < b < c`). */
  misplaced(t: IToken, expected: string): void;
}

const NOT = 3;
const COMPARISON = 4;
/** The loosest level of a refinement's bound (`float(<= max_len * 2)`). */
export const ARITHMETIC = 5;
const NEGATION = 7;

function precedence(item: OperatorItem<unknown>): number {
  if (item.kind === "is" || item.kind === "in") return COMPARISON;
  if (item.kind !== "infix") return -1;
  switch (item.token.image) {
    case "or": return 1;
    case "and": return 2;
    case "+": case "-": return 5;
    case "*": case "/": case "%": return 6;
    default: return COMPARISON; // == != < <= > >=
  }
}

/** The expression tree of `items`, whose operators bind at least as tightly as `loosest`; a missing operand is `Missing`. */
export function operatorTree<Atom>(items: readonly OperatorItem<Atom>[], hooks: OperatorHooks<Atom>, loosest = 0): A.Expr {
  let pos = 0;

  const climb = (min: number): A.Expr => {
    let left = prefixed(min);
    let comparedAlready = false;
    while (pos < items.length) {
      const item = items[pos]!;
      const p = precedence(item);
      if (p < min) break;
      pos++;
      if (p === COMPARISON) {
        if (comparedAlready) hooks.misplaced((item as { token: IToken }).token, "`and`, `or` or the end of the value (comparisons do not chain)");
        comparedAlready = true;
      }
      if (item.kind === "is") {
        const end = (item.what ?? item.negated ?? item.token).endOffset! + 1;
        left = { kind: "IsCheck", operand: left, negated: !!item.negated, what: item.what?.image === "null" ? "null" : "set", span: { ...left.span, end } };
      } else if (item.kind === "in") {
        const collection = climb(COMPARISON + 1);
        const end = Math.max(collection.span.end, item.token.endOffset! + 1);
        left = { kind: "InCheck", operand: left, negated: item.negated, collection, span: { file: left.span.file, start: left.span.start, end } };
      } else if (item.kind === "infix") {
        const right = climb(p + 1);
        // A comparison spans its operator even when the right side is missing (`x = 384 >`).
        const end = p === COMPARISON ? Math.max(right.span.end, item.token.endOffset! + 1) : right.span.end;
        const span = { file: left.span.file, start: left.span.start, end };
        left = { kind: "Binary", op: item.token.image as A.BinaryOperator, left, right, span };
      }
    }
    return left;
  };

  const prefixed = (min: number): A.Expr => {
    const item = items[pos];
    if (!item || item.kind !== "prefix" && item.kind !== "atom") return hooks.missing();
    pos++;
    if (item.kind === "atom") return hooks.atom(item.atom);
    const t = item.token;
    if (t.image === "not") {
      // `not` binds looser than comparisons and arithmetic: `1 + not x` or `-not x` is a mistake.
      if (min > NOT) {
        hooks.misplaced(t, "a value");
        return prefixed(min);
      }
      const operand = climb(NOT);
      return { kind: "Unary", op: "not", operand, span: { file: operand.span.file, start: t.startOffset, end: Math.max(t.endOffset! + 1, operand.span.end) } };
    }
    const span = hooks.tokenSpan(t);
    const operand = prefixed(NEGATION);
    return { kind: "Unary", op: "-", operand, span: { ...span, end: Math.max(span.end, operand.span.end) } };
  };

  return climb(loosest);
}
