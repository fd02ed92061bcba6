// The `.lv` grammar a second time, as chevrotain's embedded-actions parser: the rules build the AST directly, with no
// concrete syntax tree. parse.ts tries it first; it gives up on the first thing that is not plain valid syntax (a
// recognition error, or what the CST grammar accepts only to report it: a missing `=`, a stray token, a misplaced
// operator, ...) and parse.ts then parses the file again with the full parser (parser.ts + toAst.ts), which recovers
// and reports. So this parser never reports anything, and for every file it accepts it gives the AST that toAst.ts
// builds: the same rules in the same order with the same gates and lookahead (test/syntax/fastParser.test.ts compares
// the two on every `.lv` file of the repository and on mutations of them).
//
// Why: a CST costs most of a chevrotain parse (its nodes, their children arrays, a location update per token, and
// the collections that copy the tree while it lives): bench:compile's (d) line gives chevrotain's own JSON grammar on
// this machine with and without one.
import type { IOrAlt, IToken, TokenType } from "chevrotain";
import { EmbeddedActionsParser, tokenMatcher } from "./chevrotain.js";
import { LazyLookahead, arithmeticOperators, declarationAhead, infixOperators, memberAlternatives, sweepKeyFollows, type GateInput, type MemberRule } from "./grammarParts.js";
import * as T from "./tokens.js";
import type * as A from "./ast.js";
import { lineBreakBetween } from "./lineBreaks.js";
import { ARITHMETIC, operatorTree, type OperatorHooks, type OperatorItem } from "./operators.js";
import { floatLiteralValue } from "./literalPatterns.js";
import type { AstBuilder } from "./toAst.js";

/** Thrown by an action where the full parser would report something: parse.ts then runs the full parser. */
class NotPlainSyntax extends Error {}

const giveUp = (): never => {
  throw new NotPlainSyntax();
};

const registryKinds: TokenType[] = [T.Arch, T.Builder, T.Processor, T.Task, T.Scheduler, T.Runner];

/** An operand: its prefix operators (`not`, `-`) and its value. */
interface Operand {
  readonly prefixes: IToken[];
  readonly value: A.Expr;
}

/** What follows `expression`'s first operand, one at a time (returned by the alternatives, which capture nothing). */
type ExpressionTail =
  | { readonly kind: "infix"; readonly op: IToken; readonly next: Operand }
  | { readonly kind: "is"; readonly is: IToken; readonly negated: IToken | undefined; readonly what: IToken }
  | { readonly kind: "in"; readonly not: IToken | undefined; readonly inTok: IToken; readonly next: Operand };

/** What follows an entry's key. */
type EntryTail =
  | { readonly kind: "field"; readonly type: A.TypeExpr; readonly def: A.Expr | null }
  | { readonly kind: "value"; readonly value: A.Expr }
  | { readonly kind: "block"; readonly members: A.Member[] };

class FastLvParser extends EmbeddedActionsParser {
  /** The text being parsed (the same-line gates read it), the builder whose string and name decoding is shared, the file's path and docs. */
  source = "";
  builder!: AstBuilder;
  path = "";
  docs: ReadonlyMap<number, string> = new Map();

  /**
   * The alternatives of each `OR`, built on its first call (as in parser.ts): so their closures must not capture
   * anything of one rule invocation; they return what they parsed instead.
   */
  private readonly alts: IOrAlt<unknown>[][] = [];

  /** The lookahead and the text, for the gates of grammarParts.ts. */
  private readonly here: GateInput = { LA: (n) => this.LA(n), text: () => this.source };

  private readonly hooks: OperatorHooks<A.Expr> = {
    atom: (e) => e,
    missing: giveUp,
    tokenSpan: (t) => this.tokSpan(t),
    misplaced: giveUp,
  };

  constructor() {
    super(T.allTokens, {
      recoveryEnabled: false,
      maxLookahead: 2,
      lookaheadStrategy: new LazyLookahead({ maxLookahead: 2 }),
      skipValidations: process.env.LAVISC_VALIDATE_GRAMMAR !== "1",
    });
    this.performSelfAnalysis();
  }

  /** Span from the offset `start` to the end of the last consumed token. */
  private spanFrom(start: number): A.Node["span"] {
    return { file: this.path, start, end: this.LA(0).endOffset! + 1 };
  }

  private tokSpan(t: IToken): A.Node["span"] {
    return { file: this.path, start: t.startOffset, end: t.endOffset! + 1 };
  }

  private doc(start: number): string | null {
    return this.docs.get(start) ?? null;
  }

  public file = this.RULE("file", () => {
    const imports: A.Import[] = [];
    const declarations: A.Declaration[] = [];
    this.MANY(() => {
      const i = this.SUBRULE(this.importDecl);
      this.ACTION(() => imports.push(i));
    });
    this.MANY2(() => {
      const d = this.SUBRULE(this.declaration);
      this.ACTION(() => declarations.push(d));
    });
    return this.ACTION(() => ({ kind: "File", path: this.path, imports, declarations, comments: [] as A.Comment[], span: { file: this.path, start: 0, end: 0 } }) as A.File);
  });

  public importDecl = this.RULE("importDecl", (): A.Import => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Import);
    const path = this.CONSUME(T.StringLiteral);
    let alias: IToken | null = null;
    this.OPTION(() => {
      this.CONSUME(T.As);
      alias = this.CONSUME(T.Name);
    });
    return this.ACTION(() => ({ kind: "Import", path: this.builder.stringLit(path), alias: alias && this.builder.ident(alias), span: this.spanFrom(start) }) as A.Import);
  });

  public declaration = this.RULE("declaration", (): A.Declaration => {
    return this.OR((this.alts[0] ??= [
      { ALT: () => this.SUBRULE(this.experimentDecl) },
      { ALT: () => this.SUBRULE(this.schemaDecl) },
      { ALT: () => this.SUBRULE(this.enumDecl) },
      { ALT: () => this.SUBRULE(this.registryDecl) },
    ])) as A.Declaration;
  });

  public experimentDecl = this.RULE("experimentDecl", (): A.ExperimentDecl => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Experiment);
    const name = this.CONSUME(T.Name);
    let ext: A.ExperimentDecl["extends"] = null;
    this.OPTION(() => {
      this.CONSUME(T.Extends);
      ext = this.SUBRULE(this.extendsTarget);
    });
    const members = this.SUBRULE(this.body);
    return this.ACTION(() => ({ kind: "ExperimentDecl", name: this.builder.ident(name), extends: ext, members, doc: this.doc(start), span: this.spanFrom(start) }) as A.ExperimentDecl);
  });

  public extendsTarget = this.RULE("extendsTarget", (): A.ExperimentDecl["extends"] => {
    return this.OR((this.alts[1] ??= [
      {
        ALT: () => {
          const path = this.CONSUME(T.StringLiteral);
          return this.ACTION(() => this.builder.stringLit(path));
        },
      },
      {
        ALT: () => {
          const segments: IToken[] = [];
          this.AT_LEAST_ONE_SEP({ SEP: T.Dot, DEF: () => segments.push(this.CONSUME(T.Name)) });
          return this.ACTION(() => segments.map((s) => this.builder.ident(s)));
        },
      },
    ])) as A.ExperimentDecl["extends"];
  });

  public schemaDecl = this.RULE("schemaDecl", (): A.SchemaDecl => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Schema);
    const name = this.CONSUME(T.Name);
    let bases: A.Ident[] = [];
    this.OPTION(() => (bases = this.SUBRULE(this.baseList)));
    const members = this.SUBRULE(this.body);
    return this.ACTION(() => ({ kind: "SchemaDecl", name: this.builder.ident(name), bases, members, doc: this.doc(start), span: this.spanFrom(start) }) as A.SchemaDecl);
  });

  public enumDecl = this.RULE("enumDecl", (): A.EnumDecl => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Enum);
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    const values: A.Ident[] = [];
    this.MANY(() => {
      const v = this.SUBRULE(this.nameOrString);
      this.ACTION(() => values.push(v));
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: "EnumDecl", name: this.builder.ident(name), values, doc: this.doc(start), span: this.spanFrom(start) }) as A.EnumDecl);
  });

  public registryDecl = this.RULE("registryDecl", (): A.RegistryDecl => {
    const start = this.LA(1).startOffset;
    const kind = this.OR((this.alts[2] ??= registryKinds.map((t) => ({ ALT: () => this.CONSUME(t) })))) as IToken;
    const name = this.SUBRULE(this.nameOrString);
    let bases: A.Ident[] = [];
    this.OPTION(() => (bases = this.SUBRULE(this.baseList)));
    const members = this.SUBRULE(this.body);
    return this.ACTION(() => ({ kind: "RegistryDecl", registry: kind.image as A.RegistryKind, name, bases, members, doc: this.doc(start), span: this.spanFrom(start) }) as A.RegistryDecl);
  });

  public baseList = this.RULE("baseList", (): A.Ident[] => {
    this.CONSUME(T.Colon);
    const bases: IToken[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => bases.push(this.CONSUME(T.Name)) });
    return this.ACTION(() => bases.map((b) => this.builder.ident(b)));
  });

  public body = this.RULE("body", (): A.Member[] => {
    this.CONSUME(T.LCurly);
    const members: A.Member[] = [];
    this.MANY({
      GATE: () => !declarationAhead(this.here),
      DEF: () => {
        const m = this.SUBRULE(this.member);
        this.ACTION(() => members.push(m));
      },
    });
    this.CONSUME(T.RCurly);
    return members;
  });

  /** parser.ts's `member` (the alternatives and their gates: grammarParts.ts). */
  public member = this.RULE("member", (): A.Member => {
    const m = this.OR({
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: (this.alts[3] ??= memberAlternatives(this.here, (rule) => this.SUBRULE((this as unknown as Record<MemberRule, () => A.Member>)[rule]))),
    }) as A.Member;
    this.OPTION(() => this.OR2((this.alts[4] ??= [{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }])));
    return m;
  });

  public taskClause = this.RULE("taskClause", (): A.TaskClause => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Task);
    const name = this.SUBRULE(this.nameOrString);
    return this.ACTION(() => ({ kind: "TaskClause", name, span: this.spanFrom(start) }) as A.TaskClause);
  });

  public modelClause = this.RULE("modelClause", (): A.ModelClause => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Model);
    const arch = this.SUBRULE(this.nameOrString);
    let modelType: A.Ident | null = null;
    let members: A.Member[] | null = null;
    this.OPTION(() => (modelType = this.SUBRULE(this.typeArg)));
    this.OPTION2(() => (members = this.SUBRULE(this.body)));
    return this.ACTION(() => ({ kind: "ModelClause", arch, modelType, members, span: this.spanFrom(start) }) as A.ModelClause);
  });

  public dataClause = this.RULE("dataClause", (): A.DataClause => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Data);
    const builder = this.SUBRULE(this.nameOrString);
    let dataType: A.Ident | null = null;
    let members: A.Member[] | null = null;
    this.OPTION(() => (dataType = this.SUBRULE(this.typeArg)));
    this.OPTION2(() => (members = this.SUBRULE(this.body)));
    return this.ACTION(() => ({ kind: "DataClause", builder, dataType, members, span: this.spanFrom(start) }) as A.DataClause);
  });

  public typeArg = this.RULE("typeArg", (): A.Ident => {
    this.CONSUME(T.LParen);
    const name = this.SUBRULE(this.nameOrString);
    this.CONSUME(T.RParen);
    return name;
  });

  public recipeClause = this.RULE("recipeClause", (): A.RecipeClause => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Recipe);
    const members = this.SUBRULE(this.body);
    return this.ACTION(() => ({ kind: "RecipeClause", members, span: this.spanFrom(start) }) as A.RecipeClause);
  });

  /** Its doc is the member's: the member starts with `type`. */
  public typeClause = this.RULE("typeClause", (): A.TypeClause => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Type);
    const name = this.SUBRULE(this.nameOrString);
    const members = this.SUBRULE(this.body);
    return this.ACTION(() => ({ kind: "TypeClause", name, members, doc: this.doc(start), span: this.spanFrom(start) }) as A.TypeClause);
  });

  // --- sweeps ------------------------------------------------------------------------------------

  public sweepClause = this.RULE("sweepClause", (): A.SweepClause => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Sweep);
    this.CONSUME(T.LCurly);
    const members: A.SweepMember[] = [];
    this.MANY(() => {
      const m = this.OR({
        MAX_LOOKAHEAD: 1,
        IGNORE_AMBIGUITIES: true,
        DEF: (this.alts[5] ??= [
          { GATE: () => tokenMatcher(this.LA(2), T.LCurly), ALT: () => this.SUBRULE(this.sweepZip) },
          { GATE: () => !sweepKeyFollows(this.here), ALT: () => this.SUBRULE(this.sweepFilter) },
          { GATE: () => !sweepKeyFollows(this.here), ALT: () => this.SUBRULE(this.sweepLimit) },
          { ALT: () => this.SUBRULE(this.sweepAxis) },
        ]),
      }) as A.SweepMember;
      this.ACTION(() => members.push(m));
      this.OPTION(() => this.OR2((this.alts[6] ??= [{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }])));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: "SweepClause", members, span: this.spanFrom(start) }) as A.SweepClause);
  });

  public sweepZip = this.RULE("sweepZip", (): A.SweepZip => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Zip);
    this.CONSUME(T.LCurly);
    const axes: A.SweepAxis[] = [];
    this.MANY(() => {
      const a = this.SUBRULE(this.sweepAxis);
      this.ACTION(() => axes.push(a));
      this.OPTION(() => this.OR((this.alts[7] ??= [{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }])));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: "SweepZip", axes, span: this.spanFrom(start) }) as A.SweepZip);
  });

  /** Only `key in [...]` and `key in linear/log(...)`: parser.ts's error productions (`=`, a single value, nothing) give up. */
  public sweepAxis = this.RULE("sweepAxis", (): A.SweepAxis => {
    const start = this.LA(1).startOffset;
    const key = this.SUBRULE(this.keyPath);
    this.CONSUME(T.In);
    const domain = this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: (this.alts[8] ??= [
        { ALT: () => this.SUBRULE(this.listLiteral) },
        { GATE: () => tokenMatcher(this.LA(2), T.LParen), ALT: () => this.SUBRULE(this.sweepRange) },
      ]),
    }) as A.ListLit | A.SweepRange;
    return this.ACTION(() => ({ kind: "SweepAxis", key, domain, span: this.spanFrom(start) }) as A.SweepAxis);
  });

  /** With its `count = n` (without one, toAst.ts builds a Missing count where the full parser stands). */
  public sweepRange = this.RULE("sweepRange", (): A.SweepRange => {
    const start = this.LA(1).startOffset;
    const scale = this.OR((this.alts[9] ??= [{ ALT: () => this.CONSUME(T.Linear) }, { ALT: () => this.CONSUME(T.Log) }])) as IToken;
    this.CONSUME(T.LParen);
    const from = this.SUBRULE(this.arithmetic);
    this.CONSUME(T.Comma);
    const to = this.SUBRULE2(this.arithmetic);
    this.CONSUME2(T.Comma);
    this.CONSUME(T.Count);
    this.CONSUME(T.Equals);
    let sign: IToken | null = null;
    this.OPTION(() => (sign = this.CONSUME(T.Minus)));
    const count = this.CONSUME(T.IntLiteral);
    this.CONSUME(T.RParen);
    return this.ACTION(() => ({ kind: "SweepRange", scale: scale.image === "log" ? "log" : "linear", from, to, count: this.intLit(count, sign), span: this.spanFrom(start) }) as A.SweepRange);
  });

  public sweepFilter = this.RULE("sweepFilter", (): A.SweepFilter => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Filter);
    let condition: A.Expr | null = null;
    this.OPTION({ GATE: () => !lineBreakBetween(this.source, this.LA(0), this.LA(1)), DEF: () => (condition = this.SUBRULE(this.expression)) });
    return this.ACTION(() => ({ kind: "SweepFilter", condition: condition ?? giveUp(), span: this.spanFrom(start) }) as A.SweepFilter);
  });

  public sweepLimit = this.RULE("sweepLimit", (): A.SweepLimit => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.Limit);
    let sign: IToken | null = null;
    this.OPTION(() => (sign = this.CONSUME(T.Minus)));
    const count = this.CONSUME(T.IntLiteral);
    return this.ACTION(() => ({ kind: "SweepLimit", count: this.intLit(count, sign), span: this.spanFrom(start) }) as A.SweepLimit);
  });

  private intLit(t: IToken, sign: IToken | null): A.IntLit {
    const span = this.tokSpan(t);
    if (!sign) return { kind: "IntLit", value: Number(t.image), raw: t.image, span };
    return { kind: "IntLit", value: -Number(t.image), raw: `-${t.image}`, span: { ...span, start: sign.startOffset } };
  }

  public constraint = this.RULE("constraint", (): A.Constraint => {
    const start = this.LA(1).startOffset;
    const kind = this.OR((this.alts[10] ??= [{ ALT: () => this.CONSUME(T.Check) }, { ALT: () => this.CONSUME(T.Warn) }])) as IToken;
    const condition = this.SUBRULE(this.expression);
    let message: IToken | null = null;
    this.OPTION(() => (message = this.CONSUME(T.StringLiteral)));
    return this.ACTION(() => ({ kind: "Constraint", severity: kind.image === "warn" ? "warn" : "check", condition, message: message && this.builder.stringLit(message), span: this.spanFrom(start) }) as A.Constraint);
  });

  /** `key: Type = default`, `key = value` or `key { ... }` (parser.ts's error productions give up). Its doc is the member's. */
  public entry = this.RULE("entry", (): A.Member => {
    const start = this.LA(1).startOffset;
    const key = this.SUBRULE(this.keyPath);
    const tail = this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: (this.alts[11] ??= [
        {
          ALT: (): EntryTail => {
            this.CONSUME(T.Colon);
            const type = this.SUBRULE(this.typeExpr);
            let def: A.Expr | null = null;
            this.OPTION(() => {
              this.CONSUME(T.Equals);
              def = this.SUBRULE(this.expression);
            });
            return { kind: "field", type, def };
          },
        },
        {
          ALT: (): EntryTail => {
            this.CONSUME2(T.Equals);
            return { kind: "value", value: this.SUBRULE2(this.expression) };
          },
        },
        { ALT: (): EntryTail => ({ kind: "block", members: this.SUBRULE(this.body) }) },
      ]),
    }) as EntryTail;
    return this.ACTION((): A.Member => {
      const doc = this.doc(start);
      const span = this.spanFrom(start);
      if (tail.kind === "field") return { kind: "FieldDecl", key, type: tail.type, default: tail.def, doc, span };
      if (tail.kind === "value") return { kind: "Assignment", key, value: tail.value, doc, span };
      return { kind: "Block", key, members: tail.members, doc, span };
    });
  });

  public keyPath = this.RULE("keyPath", (): A.KeyPath => {
    const start = this.LA(1).startOffset;
    const segments: IToken[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Dot, DEF: () => segments.push(this.SUBRULE(this.keySegment)) });
    return this.ACTION(() => ({ kind: "KeyPath", segments: segments.map((s) => this.builder.ident(s)), span: this.spanFrom(start) }) as A.KeyPath);
  });

  public keySegment = this.RULE("keySegment", (): IToken => {
    return this.OR((this.alts[12] ??= [{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.StringLiteral) }, { ALT: () => this.CONSUME(T.IntLiteral) }])) as IToken;
  });

  public nameOrString = this.RULE("nameOrString", (): A.Ident => {
    const t = this.OR((this.alts[13] ??= [{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.StringLiteral) }])) as IToken;
    return this.ACTION(() => this.builder.ident(t));
  });

  // --- types -----------------------------------------------------------------------------------

  public typeExpr = this.RULE("typeExpr", (): A.TypeExpr => {
    const start = this.LA(1).startOffset;
    const terms: A.TypeExpr[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Pipe, DEF: () => terms.push(this.SUBRULE(this.typeTerm)) });
    return this.ACTION(() => (terms.length === 1 ? terms[0]! : ({ kind: "UnionType", options: terms, span: this.spanFrom(start) } as A.TypeExpr)));
  });

  public typeTerm = this.RULE("typeTerm", (): A.TypeExpr => {
    const start = this.LA(1).startOffset;
    const atom = this.SUBRULE(this.typeAtom);
    let nullable = false;
    this.OPTION(() => {
      this.CONSUME(T.Question);
      nullable = true;
    });
    return this.ACTION(() => (nullable ? ({ kind: "NullableType", inner: atom, span: this.spanFrom(start) } as A.TypeExpr) : atom));
  });

  public typeAtom = this.RULE("typeAtom", (): A.TypeExpr => {
    return this.OR((this.alts[14] ??= [
      {
        ALT: () => {
          const start = this.LA(1).startOffset;
          const name = this.CONSUME(T.Name);
          const args: A.TypeExpr[] = [];
          const refinements: A.Refinement[] = [];
          this.OPTION(() => {
            this.CONSUME(T.Lt);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.typeExpr)) });
            this.CONSUME(T.Gt);
          });
          this.OPTION2(() => {
            this.CONSUME(T.LParen);
            this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => refinements.push(this.SUBRULE(this.refinement)) });
            this.CONSUME(T.RParen);
          });
          return this.ACTION(() => ({ kind: "TypeRef", name: this.builder.ident(name), args, refinements, span: this.spanFrom(start) }) as A.TypeExpr);
        },
      },
      {
        ALT: () => {
          const start = this.LA(1).startOffset;
          this.CONSUME(T.Null);
          return this.ACTION(() => ({ kind: "NullType", span: this.spanFrom(start) }) as A.TypeExpr);
        },
      },
      {
        ALT: () => {
          const start = this.LA(1).startOffset;
          this.CONSUME(T.LBracket);
          const element = this.SUBRULE2(this.typeExpr);
          this.CONSUME(T.RBracket);
          return this.ACTION(() => ({ kind: "ListTypeSugar", element, span: this.spanFrom(start) }) as A.TypeExpr);
        },
      },
    ])) as A.TypeExpr;
  });

  public refinement = this.RULE("refinement", (): A.Refinement => {
    const start = this.LA(1).startOffset;
    const op = this.CONSUME(T.CompareOp);
    const bound = this.SUBRULE(this.arithmetic);
    return this.ACTION(() => ({ kind: "Refinement", op: op.image as A.CompareOperator, bound, span: this.spanFrom(start) }) as A.Refinement);
  });

  public arithmetic = this.RULE("arithmetic", (): A.Expr => {
    const items: OperatorItem<A.Expr>[] = [];
    const first = this.SUBRULE(this.operand);
    this.ACTION(() => pushOperand(items, first));
    this.MANY(() => {
      const op = this.OR((this.alts[15] ??= arithmeticOperators.map((t) => ({ ALT: () => this.CONSUME(t) })))) as IToken;
      const next = this.SUBRULE2(this.operand);
      this.ACTION(() => {
        items.push({ kind: "infix", token: op });
        pushOperand(items, next);
      });
    });
    return this.ACTION(() => (items.length === 1 ? first.value : operatorTree(items, this.hooks, ARITHMETIC)));
  });

  // --- expressions -------------------------------------------------------------------------------

  public expression = this.RULE("expression", (): A.Expr => {
    return this.OR((this.alts[16] ??= [
      { ALT: () => this.SUBRULE(this.ifExpr) },
      {
        ALT: () => {
          const items: OperatorItem<A.Expr>[] = [];
          const first = this.SUBRULE(this.operand);
          this.ACTION(() => pushOperand(items, first));
          this.MANY(() => {
            const tail = this.OR2((this.alts[17] ??= [
              {
                ALT: (): ExpressionTail => {
                  const op = this.OR3((this.alts[18] ??= infixOperators.map((t) => ({ ALT: () => this.CONSUME(t) })))) as IToken;
                  return { kind: "infix", op, next: this.SUBRULE2(this.operand) };
                },
              },
              {
                ALT: (): ExpressionTail => {
                  const is = this.CONSUME(T.Is);
                  let negated: IToken | undefined;
                  this.OPTION(() => (negated = this.CONSUME(T.Not)));
                  const what = this.OR4((this.alts[19] ??= [{ ALT: () => this.CONSUME(T.Set) }, { ALT: () => this.CONSUME(T.Null) }])) as IToken;
                  return { kind: "is", is, negated, what };
                },
              },
              {
                ALT: (): ExpressionTail => {
                  let not: IToken | undefined;
                  this.OPTION2(() => (not = this.CONSUME2(T.Not)));
                  const inTok = this.CONSUME(T.In);
                  return { kind: "in", not, inTok, next: this.SUBRULE3(this.operand) };
                },
              },
            ])) as ExpressionTail;
            this.ACTION(() => pushTail(items, tail));
          });
          return this.ACTION(() => (items.length === 1 ? first.value : operatorTree(items, this.hooks)));
        },
      },
    ])) as A.Expr;
  });

  public ifExpr = this.RULE("ifExpr", (): A.Expr => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.If);
    const condition = this.SUBRULE(this.expression);
    this.CONSUME(T.Then);
    const then = this.SUBRULE2(this.expression);
    this.CONSUME(T.Else);
    const otherwise = this.SUBRULE3(this.expression);
    return this.ACTION(() => ({ kind: "IfExpr", condition, then, else: otherwise, span: this.spanFrom(start) }) as A.Expr);
  });

  public operand = this.RULE("operand", (): Operand => {
    const prefixes: IToken[] = [];
    this.MANY(() => prefixes.push(this.OR((this.alts[20] ??= [{ ALT: () => this.CONSUME(T.Not) }, { ALT: () => this.CONSUME(T.Minus) }])) as IToken));
    const value = this.OR2((this.alts[21] ??= [
      { ALT: () => this.literal(this.CONSUME(T.StringLiteral)) },
      { ALT: () => this.literal(this.CONSUME(T.FloatLiteral)) },
      { ALT: () => this.literal(this.CONSUME(T.IntLiteral)) },
      { ALT: () => this.literal(this.CONSUME(T.True)) },
      { ALT: () => this.literal(this.CONSUME(T.False)) },
      { ALT: () => this.literal(this.CONSUME(T.Null)) },
      { ALT: () => this.SUBRULE(this.listLiteral) },
      { ALT: () => this.SUBRULE(this.mapLiteral) },
      { ALT: () => this.SUBRULE(this.reference) },
      { ALT: () => this.SUBRULE(this.interpolation) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
    ])) as A.Expr;
    return { prefixes, value };
  });

  /** The AST of a literal token (toAst.ts's operandAlternative). */
  private literal(t: IToken): A.Expr {
    return this.ACTION((): A.Expr => {
      switch (t.tokenType) {
        case T.StringLiteral: return this.builder.stringExpr(t);
        case T.FloatLiteral: return { kind: "FloatLit", value: floatLiteralValue(t.image), raw: t.image, span: this.tokSpan(t) };
        case T.IntLiteral: return { kind: "IntLit", value: Number(t.image), raw: t.image, span: this.tokSpan(t) };
        case T.True: return { kind: "BoolLit", value: true, span: this.tokSpan(t) };
        case T.False: return { kind: "BoolLit", value: false, span: this.tokSpan(t) };
        default: return { kind: "NullLit", span: this.tokSpan(t) };
      }
    });
  }

  public listLiteral = this.RULE("listLiteral", (): A.ListLit => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.LBracket);
    const items: A.Expr[] = [];
    this.MANY(() => {
      items.push(this.SUBRULE(this.expression));
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RBracket);
    return this.ACTION(() => ({ kind: "ListLit", items, span: this.spanFrom(start) }) as A.ListLit);
  });

  public mapLiteral = this.RULE("mapLiteral", (): A.Expr => {
    const start = this.LA(1).startOffset;
    const members = this.SUBRULE(this.body);
    return this.ACTION(() => ({ kind: "MapLit", members, span: this.spanFrom(start) }) as A.Expr);
  });

  public reference = this.RULE("reference", (): A.Expr => {
    const start = this.LA(1).startOffset;
    const segments: IToken[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Dot, DEF: () => segments.push(this.CONSUME(T.Name)) });
    let members: A.Member[] | null = null;
    this.OPTION(() => (members = this.SUBRULE(this.body)));
    return this.ACTION((): A.Expr => {
      const path = segments.map((s) => this.builder.ident(s));
      const span = this.spanFrom(start);
      return members ? { kind: "ObjectLit", tag: path, members, span } : { kind: "Ref", path, interpolated: false, span };
    });
  });

  public interpolation = this.RULE("interpolation", (): A.Expr => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.DollarLCurly);
    const key = this.SUBRULE(this.keyPath);
    this.CONSUME(T.RCurly);
    return this.ACTION(() => ({ kind: "Ref", path: key.segments, interpolated: true, span: this.spanFrom(start) }) as A.Expr);
  });

  public parenExpr = this.RULE("parenExpr", (): A.Expr => {
    const start = this.LA(1).startOffset;
    this.CONSUME(T.LParen);
    const inner = this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
    return this.ACTION(() => ({ kind: "Paren", inner, span: this.spanFrom(start) }) as A.Expr);
  });
}

/** A tail of `expression` as operator-tree items (toAst.ts's: `not in` is one item on the `not` token). */
function pushTail(items: OperatorItem<A.Expr>[], tail: ExpressionTail): void {
  if (tail.kind === "is") {
    items.push({ kind: "is", token: tail.is, negated: tail.negated, what: tail.what });
    return;
  }
  if (tail.kind === "infix") items.push({ kind: "infix", token: tail.op });
  else items.push({ kind: "in", token: tail.not ?? tail.inTok, negated: !!tail.not });
  pushOperand(items, tail.next);
}

/** An operand's prefix operators, then its value, as operator-tree items (toAst.ts's order). */
function pushOperand(items: OperatorItem<A.Expr>[], o: Operand): void {
  for (const token of o.prefixes) items.push({ kind: "prefix", token });
  items.push({ kind: "atom", atom: o.value });
}

/** Whether parse.ts tries this parser first (switchable for the equivalence tests and A/B measurements). */
export const plainParserSwitch = { enabled: true };

let instance: FastLvParser | undefined;

/**
 * The AST of `tokens` when the file is plain valid syntax (its imports and declarations; the caller adds comments and
 * the file's span), with the string diagnostics going to `builder` as the full path's would; null when the full
 * parser must parse it (it recovers from and reports what this one gives up on).
 */
export function parsePlain(tokens: IToken[], source: string, path: string, docs: ReadonlyMap<number, string>, builder: AstBuilder): A.File | null {
  const parser = (instance ??= new FastLvParser());
  parser.source = source;
  parser.path = path;
  parser.docs = docs;
  parser.builder = builder;
  parser.input = tokens;
  try {
    const file = parser.file() as A.File;
    return parser.errors.length ? null : file;
  } catch {
    // NotPlainSyntax, or anything else (a stack overflow on deep nesting included): the full parser decides, and
    // reports. test/syntax/fastParser checks that the plain files do not end up here.
    return null;
  } finally {
    parser.input = [];
  }
}
