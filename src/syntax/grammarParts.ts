// What the two parsers of the `.lv` grammar share (parser.ts builds a CST and recovers; fastParser.ts builds the AST of
// plain valid files directly): the lookahead strategy, the token groups and the gates that read the text around a token.
import type { IOrAlt, IToken, TokenType } from "chevrotain";
import { LLkLookaheadStrategy, tokenMatcher } from "./chevrotain.js";
import * as T from "./tokens.js";
import { startsLine } from "./lineBreaks.js";

export const declarationKeywords: TokenType[] = [T.Import, T.Experiment, T.Schema, T.Enum, T.Arch, T.Builder, T.Processor, T.Scheduler, T.Runner];

/** Binary operators of the flat `expression` rule (precedence is the AST builder's), and those of a refinement's bound. */
export const arithmeticOperators: TokenType[] = [T.Plus, T.Minus, T.Star, T.Slash, T.Percent];
export const infixOperators: TokenType[] = [T.Or, T.And, T.CompareOp, ...arithmeticOperators];

type LookaheadStrategy = InstanceType<typeof LLkLookaheadStrategy>;

/**
 * chevrotain's LL(k) lookahead, each function built on its first call instead of all of them in performSelfAnalysis:
 * building them was about a third of the parser's construction, a cost every cold `.lv` command paid, while a file
 * uses only part of the grammar. The decisions are the same functions', built from the same options.
 */
export class LazyLookahead extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: Parameters<LookaheadStrategy["buildLookaheadForAlternation"]>[0]) {
    const build = () => super.buildLookaheadForAlternation(options);
    let built: ReturnType<typeof build> | undefined;
    return function (this: unknown, alts?: IOrAlt<unknown>[]) {
      return (built ??= build()).call(this, alts);
    };
  }

  override buildLookaheadForOptional(options: Parameters<LookaheadStrategy["buildLookaheadForOptional"]>[0]) {
    const build = () => super.buildLookaheadForOptional(options);
    let built: ReturnType<typeof build> | undefined;
    return function (this: unknown) {
      return (built ??= build()).call(this);
    };
  }
}

/** What the gates read: the parser's lookahead (chevrotain's protected `LA`) and the text being parsed. */
export interface GateInput {
  LA(howMuch: number): IToken;
  text(): string;
}

/** `builder coco {` starting a line at column 1 (`task` is left out: it is also a member): a block lacks its `}`. */
export function declarationAhead(p: GateInput): boolean {
  const t = p.LA(1);
  if (!startsLine(p.text(), t) || !declarationKeywords.some((k) => tokenMatcher(t, k))) return false;
  const next = p.LA(2);
  return tokenMatcher(next, T.Name) || tokenMatcher(next, T.StringLiteral);
}

/**
 * The gate of a member clause: false when the token after its keyword makes the keyword a key (`.`, `:`, `=`, and
 * with `braceToo` `{`). chevrotain runs every gate of `member` before it looks at the tokens, so the gate first checks
 * the clause's keyword (a gate that passes before another keyword changes nothing: that alternative's token does not
 * match) and skips the look at the next token for the other members.
 */
function clauseGate(p: GateInput, keywords: readonly TokenType[], braceToo: boolean): () => boolean {
  const indexes = keywords.map((k) => k.tokenTypeIdx!);
  return () => {
    if (!indexes.includes(p.LA(1).tokenTypeIdx)) return true;
    const next = p.LA(2);
    return !(tokenMatcher(next, T.Dot) || tokenMatcher(next, T.Colon) || tokenMatcher(next, T.Equals) || (braceToo && tokenMatcher(next, T.LCurly)));
  };
}

/** True when the soft keyword at LA(1) of a sweep (`zip`, `filter`, `limit`) starts an axis key (`filter.x in ...`, `limit in ...`). */
export function sweepKeyFollows(p: GateInput): boolean {
  const next = p.LA(2);
  return tokenMatcher(next, T.Dot) || tokenMatcher(next, T.In) || tokenMatcher(next, T.Equals);
}

/** The rules a `member` can be. */
export type MemberRule = "taskClause" | "modelClause" | "dataClause" | "recipeClause" | "sweepClause" | "typeClause" | "constraint" | "entry";

/**
 * `member`'s alternatives, in their order and with their gates: the clause keywords are soft (followed by `.`, `:`,
 * `=` or, except `recipe` and `sweep`, `{`, they are keys), and the clauses come before `entry`, which accepts any key.
 * `subrule` invokes the parser's rule of that name.
 */
export function memberAlternatives<R>(here: GateInput, subrule: (rule: MemberRule) => R): IOrAlt<R>[] {
  return [
    { GATE: clauseGate(here, [T.Task], true), ALT: () => subrule("taskClause") },
    { GATE: clauseGate(here, [T.Model], true), ALT: () => subrule("modelClause") },
    { GATE: clauseGate(here, [T.Data], true), ALT: () => subrule("dataClause") },
    { GATE: clauseGate(here, [T.Recipe], false), ALT: () => subrule("recipeClause") },
    { GATE: clauseGate(here, [T.Sweep], false), ALT: () => subrule("sweepClause") },
    { GATE: clauseGate(here, [T.Type], true), ALT: () => subrule("typeClause") },
    { GATE: clauseGate(here, [T.Check, T.Warn], true), ALT: () => subrule("constraint") },
    { ALT: () => subrule("entry") },
  ];
}
