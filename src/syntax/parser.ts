import type { CstNode, IOrAlt, IParserErrorMessageProvider, IToken, OrMethodOpts, TokenType } from "chevrotain";
import { CstParser, EOF, tokenMatcher } from "./chevrotain.js";
import { LazyLookahead, arithmeticOperators, declarationAhead, infixOperators, memberAlternatives, sweepKeyFollows, type GateInput, type MemberRule } from "./grammarParts.js";
import * as T from "./tokens.js";
import { lineBreakBetween } from "./lineBreaks.js";

export const describeToken = (tok: IToken): string =>
  tok.tokenType === EOF ? "the end of the file" : tok.tokenType === T.StringLiteral ? `the string ${tok.image}` : `\`${tok.image}\``;
const labelOf = (t: TokenType): string => (t.LABEL ?? t.name);

/** "a, b or c" */
const orList = (items: readonly string[]): string => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`);

/** Tokens that can neither start a member nor end a block (`{` is left out: skipping it would unbalance the braces). */
const strayTokenTypes: TokenType[] = [
  T.FloatLiteral, T.DollarLCurly, T.LParen, T.RParen, T.LBracket, T.RBracket, T.Comma, T.Semicolon, T.Colon, T.Dot,
  T.Question, T.Pipe, T.CompareOp, T.Equals, T.Plus, T.Minus, T.Star, T.Slash, T.Percent, T.And, T.Or, T.Not, T.Is, T.In, T.If,
  T.Then, T.Else, T.True, T.False, T.Null,
];

/** Messages read like the rest of the catalog: "Expected `=` but found `}`." */
const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => `Expected ${labelOf(expected)} but found ${describeToken(actual)}.`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `Unexpected ${describeToken(firstRedundant)} after the end of the declarations.`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, ruleName }) => {
    const firsts = new Set<string>();
    for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) firsts.add(labelOf(path[0]));
    const list = [...firsts];
    const what = list.length > 6 || ruleName === "typeAtom" ? describeRule(ruleName) : orList(list);
    return `Expected ${what} but found ${describeToken(actual[0]!)}.`;
  },
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, ruleName }) => {
    const firsts = new Set<string>();
    for (const path of expectedIterationPaths) if (path[0]) firsts.add(labelOf(path[0]));
    const what = firsts.size > 6 || ruleName === "typeExpr" ? describeRule(ruleName) : orList([...firsts]);
    return `Expected ${what} but found ${describeToken(actual[0]!)}.`;
  },
};

export function describeRule(rule: string): string {
  switch (rule) {
    case "operand":
    case "expression":
    case "arithmetic":
      return "a value";
    case "member":
      return "a key, `check`, `warn` or `}`";
    case "sweepClause":
      return "a sweep axis (`recipe.init_lr in [...]`), `zip`, `filter`, `limit` or `}`";
    case "sweepRange":
      return "`linear` or `log`";
    case "sweepAxis":
      return "a list of values (`[...]`), `linear(...)` or `log(...)`";
    case "declaration":
      return "a declaration (`experiment`, `schema`, `enum`, `arch`, `builder`, `processor`, `task`, `scheduler` or `runner`)";
    case "typeExpr":
    case "typeAtom":
      return "a type";
    default:
      return `a ${rule}`;
  }
}

/**
 * The grammar of `.lv` files, as a pure CST parser (no embedded actions): the CST serves the AST builder (toAst.ts) and
 * the generated grammar documents. parse.ts uses it for the files fastParser.ts gives up on (syntax errors and what
 * the error productions below accept), so it recovers and reports. One instance per process; `parse.ts` resets it
 * per input.
 */
class LvParser extends CstParser {
  /**
   * The alternatives of each `OR`, built on its first call: a fresh array of closures per call was a large share of
   * the parse time (chevrotain's alternatives do not capture per-call state, so one array serves every call).
   */
  private readonly alts: IOrAlt<unknown>[][] = [];
  /** The text being parsed (set with `input`): the same-line rules read the line breaks between tokens in it. */
  source = "";
  private readonly altOptions: OrMethodOpts<unknown>[] = [];
  /** The lookahead and the text, for the gates of grammarParts.ts. */
  private readonly here: GateInput = { LA: (n) => this.LA(n), text: () => this.source };

  /**
   * The resynchronization follow sets (rule reference -> tokens that may follow it), used only when recovery has to
   * skip tokens. performSelfAnalysis computes them for every rule reference of the grammar, about a quarter of the
   * parser's construction at every cold start, while a valid file almost never needs them: unless `eagerFollows`,
   * they are computed on first use, by a second parser built with them (the same grammar, so the same sets).
   */
  private followSets: FollowSets = {};
  private followSetsPending = false;
  /** chevrotain's (Recoverable trait) property, which it sets and reads; here computed on first read. */
  get resyncFollows(): FollowSets {
    if (this.followSetsPending) {
      this.followSetsPending = false;
      this.followSets = new LvParser(true).resyncFollows;
    }
    return this.followSets;
  }
  set resyncFollows(sets: FollowSets) {
    this.followSets = sets;
  }

  constructor(eagerFollows = false) {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 2,
      lookaheadStrategy: new LazyLookahead({ maxLookahead: 2 }),
      nodeLocationTracking: "onlyOffset",
      errorMessageProvider: errorMessages,
      skipValidations: process.env.LAVISC_VALIDATE_GRAMMAR !== "1",
      traceInitPerf: process.env.LAVISC_TRACE_INIT ? Number(process.env.LAVISC_TRACE_INIT) + 1 : false,
    });
    const recovery = this as unknown as { recoveryEnabled: boolean };
    // performSelfAnalysis computes the follow sets only with recovery enabled; nothing else in it reads the flag.
    recovery.recoveryEnabled = eagerFollows;
    this.performSelfAnalysis();
    recovery.recoveryEnabled = true;
    this.followSetsPending = !eagerFollows;
  }

  /**
   * chevrotain's hook that opens the CST node of a rule invocation (tree_builder.js), the same but with fast
   * `children` (`CstChildren`). A test checks that chevrotain still calls it.
   */
  cstInvocationStateUpdate(fullRuleName: string): void {
    const self = this as unknown as TreeBuilderInternals;
    const node: CstNode = { name: fullRuleName, children: new CstChildren() as CstNode["children"] };
    self.setInitialNodeLocation(node);
    self.CST_STACK.push(node);
  }

  /**
   * Called with each parsed declaration and the file's node, which then drops the declaration: the AST builder turns
   * one declaration's CST into its AST while the CST is still young, so a large file never holds the CST of all its
   * declarations at once (24 MB for 10,000 lines, which every young-generation collection copied). Without a
   * listener the file's node keeps its declarations.
   */
  onDeclaration: ((declaration: CstNode, file: CstNode) => void) | null = null;

  public file = this.RULE("file", () => {
    this.MANY(() => this.SUBRULE(this.importDecl));
    this.MANY2(() => {
      const declaration = this.SUBRULE(this.declaration);
      this.ACTION(() => this.handOver(declaration));
    });
  });

  private handOver(declaration: CstNode): void {
    if (!this.onDeclaration) return;
    const file = (this as unknown as TreeBuilderInternals).CST_STACK.at(-1)!;
    const declarations = file.children.declaration!;
    if (declarations.at(-1) !== declaration) return;
    this.onDeclaration(declaration, file);
    declarations.pop();
  }

  public importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLiteral, { LABEL: "path" });
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME(T.Name, { LABEL: "alias" });
    });
  });

  public declaration = this.RULE("declaration", () => {
    this.OR((this.alts[0] ??= [
      { ALT: () => this.SUBRULE(this.experimentDecl) },
      { ALT: () => this.SUBRULE(this.schemaDecl) },
      { ALT: () => this.SUBRULE(this.enumDecl) },
      { ALT: () => this.SUBRULE(this.registryDecl) },
      { ALT: () => this.SUBRULE(this.misplacedImport) },
      { ALT: () => this.SUBRULE(this.unknownDecl) },
    ]));
  });

  /** Error production: a word that starts no declaration (`experimnt x { ... }`), skipped with its block as one mistake. */
  public unknownDecl = this.RULE("unknownDecl", () => {
    this.OR((this.alts[1] ??= [
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: "word" }) },
      { ALT: () => this.CONSUME(T.Model, { LABEL: "word" }) },
      { ALT: () => this.CONSUME(T.Data, { LABEL: "word" }) },
      { ALT: () => this.CONSUME(T.Recipe, { LABEL: "word" }) },
      { ALT: () => this.CONSUME(T.Type, { LABEL: "word" }) },
    ]));
    this.MANY(() =>
      this.OR2((this.alts[2] ??= [
        { ALT: () => this.CONSUME(T.Name) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.Dot) },
        { ALT: () => this.CONSUME(T.Colon) },
        { ALT: () => this.CONSUME(T.Comma) },
      ])),
    );
    this.OPTION(() => this.SUBRULE(this.body));
  });

  /** An import after a declaration: parsed so the checker can say "move it up" instead of a syntax error. */
  public misplacedImport = this.RULE("misplacedImport", () => {
    this.SUBRULE(this.importDecl);
  });

  public experimentDecl = this.RULE("experimentDecl", () => {
    this.CONSUME(T.Experiment);
    this.CONSUME(T.Name, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Extends);
      this.SUBRULE(this.extendsTarget);
    });
    this.SUBRULE(this.body);
  });

  public extendsTarget = this.RULE("extendsTarget", () => {
    this.OR((this.alts[3] ??= [
      { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: "path" }) },
      { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Dot, DEF: () => this.CONSUME(T.Name, { LABEL: "segments" }) }) },
    ]));
  });

  public schemaDecl = this.RULE("schemaDecl", () => {
    this.CONSUME(T.Schema);
    this.CONSUME(T.Name, { LABEL: "name" });
    this.OPTION(() => this.SUBRULE(this.baseList));
    this.SUBRULE(this.body);
  });

  public enumDecl = this.RULE("enumDecl", () => {
    this.CONSUME(T.Enum);
    this.CONSUME(T.Name, { LABEL: "name" });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.nameOrString, { LABEL: "value" });
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  /** `arch`, `builder`, `processor`, `task`, `scheduler`, `runner`: the registries the stdlib declares. */
  public registryDecl = this.RULE("registryDecl", () => {
    this.OR((this.alts[4] ??= [
      { ALT: () => this.CONSUME(T.Arch, { LABEL: "kind" }) },
      { ALT: () => this.CONSUME(T.Builder, { LABEL: "kind" }) },
      { ALT: () => this.CONSUME(T.Processor, { LABEL: "kind" }) },
      { ALT: () => this.CONSUME(T.Task, { LABEL: "kind" }) },
      { ALT: () => this.CONSUME(T.Scheduler, { LABEL: "kind" }) },
      { ALT: () => this.CONSUME(T.Runner, { LABEL: "kind" }) },
    ]));
    this.SUBRULE(this.nameOrString, { LABEL: "name" });
    this.OPTION(() => this.SUBRULE(this.baseList));
    this.SUBRULE(this.body);
  });

  public baseList = this.RULE("baseList", () => {
    this.CONSUME(T.Colon);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Name, { LABEL: "base" }) });
  });

  public body = this.RULE("body", () => {
    this.CONSUME(T.LCurly);
    this.MANY({
      // A declaration header at column 1 means this block lacks its `}`: stop here, so recovery inserts the `}`
      // and the declarations that follow parse as declarations, not as members of this block.
      GATE: () => !declarationAhead(this.here),
      DEF: () =>
        this.OR((this.alts[5] ??= [
          { ALT: () => this.SUBRULE(this.member) },
          { ALT: () => this.SUBRULE(this.strayToken) },
          // Error production: a block where no member can start (`task` + newline + `recipe {`), skipped whole.
          { ALT: () => this.SUBRULE2(this.body, { LABEL: "strayBlock" }) },
        ])),
    });
    this.CONSUME(T.RCurly);
  });

  /**
   * Error production: a token that cannot start a member (`=`, `)`, `5.0`, ...), skipped on its own. Without it the
   * block would end at the first such token and the recovery would throw away the members after it.
   */
  public strayToken = this.RULE("strayToken", () => {
    this.OR((this.alts[6] ??= strayTokenTypes.map((t) => ({ ALT: () => this.CONSUME(t) }))));
  });

  /**
   * Decided on the first token, so a member always starts and a mistake is recovered inside it. The clause keywords
   * are soft: followed by `.`, `:`, `=` (or `{`, except `recipe`) they are keys (`task: Task`, `model = x`).
   */
  public member = this.RULE("member", () => {
    this.OR((this.altOptions[7] ??= {
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true, // the clauses come before `entry`, which accepts any key (grammarParts.ts)
      DEF: memberAlternatives(this.here, (rule) => this.SUBRULE((this as unknown as Record<MemberRule, () => CstNode>)[rule])),
    }));
    this.OPTION(() => this.OR2((this.alts[8] ??= [{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }])));
  });

  public taskClause = this.RULE("taskClause", () => {
    this.CONSUME(T.Task);
    this.SUBRULE(this.nameOrString, { LABEL: "name" });
  });

  public modelClause = this.RULE("modelClause", () => {
    this.CONSUME(T.Model);
    this.SUBRULE(this.nameOrString, { LABEL: "arch" });
    this.OPTION(() => this.SUBRULE(this.typeArg));
    this.OPTION2(() => this.SUBRULE(this.body));
  });

  public dataClause = this.RULE("dataClause", () => {
    this.CONSUME(T.Data);
    this.SUBRULE(this.nameOrString, { LABEL: "builder" });
    this.OPTION(() => this.SUBRULE(this.typeArg));
    this.OPTION2(() => this.SUBRULE(this.body));
  });

  public typeArg = this.RULE("typeArg", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.nameOrString);
    this.CONSUME(T.RParen);
  });

  public recipeClause = this.RULE("recipeClause", () => {
    this.CONSUME(T.Recipe);
    this.SUBRULE(this.body);
  });

  /** `type coco { ... }` inside an `arch` or `builder`: the defaults of one model type or dataset type. */
  public typeClause = this.RULE("typeClause", () => {
    this.CONSUME(T.Type);
    this.SUBRULE(this.nameOrString, { LABEL: "name" });
    this.SUBRULE(this.body);
  });

  // --- sweeps ------------------------------------------------------------------------------------

  /** `sweep { ... }` in an experiment: the axes whose product is the trial set, an optional filter and limit. */
  public sweepClause = this.RULE("sweepClause", () => {
    this.CONSUME(T.Sweep);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR({
        MAX_LOOKAHEAD: 1,
        IGNORE_AMBIGUITIES: true, // `zip`, `filter` and `limit` are soft keywords: followed by `.` or `in` they start a key
        DEF: [
          { GATE: () => tokenMatcher(this.LA(2), T.LCurly), ALT: () => this.SUBRULE(this.sweepZip) },
          { GATE: () => !sweepKeyFollows(this.here), ALT: () => this.SUBRULE(this.sweepFilter) },
          { GATE: () => !sweepKeyFollows(this.here), ALT: () => this.SUBRULE(this.sweepLimit) },
          { ALT: () => this.SUBRULE(this.sweepAxis) },
          { ALT: () => this.SUBRULE(this.strayToken) },
        ],
      });
      this.OPTION(() => this.OR2([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
    });
    this.CONSUME(T.RCurly);
  });

  /** `zip { a in [...]  b in [...] }`: axes that move together (the i-th trial of the group takes every axis's i-th value). */
  public sweepZip = this.RULE("sweepZip", () => {
    this.CONSUME(T.Zip);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.sweepAxis) }, { ALT: () => this.SUBRULE(this.strayToken) }]);
      this.OPTION(() => this.OR2([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
    });
    this.CONSUME(T.RCurly);
  });

  /** `recipe.init_lr in [1e-5, 3e-5]` or `... in log(1e-5, 1e-3, count = 5)`. `=` instead of `in` is an error production. */
  public sweepAxis = this.RULE("sweepAxis", () => {
    this.SUBRULE(this.keyPath);
    this.OR([{ ALT: () => this.CONSUME(T.In) }, { ALT: () => this.CONSUME(T.Equals, { LABEL: "equalsInsteadOfIn" }) }]);
    this.OR2({
      IGNORE_AMBIGUITIES: true, // a list or a range before any other value
      DEF: [
        { ALT: () => this.SUBRULE(this.listLiteral) },
        { GATE: () => tokenMatcher(this.LA(2), T.LParen), ALT: () => this.SUBRULE(this.sweepRange) },
        // Error productions: a single value on the axis's line (`recipe.seed in 3`), or none; the AST builder asks for a list.
        { GATE: () => !lineBreakBetween(this.source, this.LA(0), this.LA(1)), ALT: () => this.SUBRULE(this.expression, { LABEL: "valueWithoutList" }) },
        { ALT: () => {} },
      ],
    });
  });

  /** `linear(from, to, count = n)` or `log(from, to, count = n)`: n values from `from` to `to`, both included. */
  public sweepRange = this.RULE("sweepRange", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Linear, { LABEL: "scale" }) }, { ALT: () => this.CONSUME(T.Log, { LABEL: "scale" }) }]);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.arithmetic, { LABEL: "from" });
    this.CONSUME(T.Comma);
    this.SUBRULE2(this.arithmetic, { LABEL: "to" });
    // Without `count = n` the range is reported when the sweep is read (a missing count), not as a syntax error.
    this.OPTION(() => {
      this.CONSUME2(T.Comma);
      this.CONSUME(T.Count);
      this.CONSUME(T.Equals);
      // A sign parses, so that `count = -1` is the sweep's "at least 1" error rather than a syntax error.
      this.OPTION2(() => this.CONSUME(T.Minus, { LABEL: "sign" }));
      this.CONSUME(T.IntLiteral, { LABEL: "count" });
    });
    this.CONSUME(T.RParen);
  });

  /** The values of `--sweep KEY=VALUES` on the command line: a range, or values separated by commas (Hydra's style). */
  public sweepValues = this.RULE("sweepValues", () => {
    this.OR({
      IGNORE_AMBIGUITIES: true, // `log(` starts a range; `log` alone is a name
      DEF: [
        { GATE: () => tokenMatcher(this.LA(2), T.LParen), ALT: () => this.SUBRULE(this.sweepRange) },
        { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: "items" }) }) },
      ],
    });
  });

  /** `filter <condition>`: keeps the trials where the condition (constraint syntax, over the resolved trial) holds. */
  public sweepFilter = this.RULE("sweepFilter", () => {
    this.CONSUME(T.Filter);
    // A condition on the next line would swallow the axis there: a missing one is reported by the AST builder.
    this.OPTION({ GATE: () => !lineBreakBetween(this.source, this.LA(0), this.LA(1)), DEF: () => this.SUBRULE(this.expression, { LABEL: "condition" }) });
  });

  /** `limit n`: at most n trials (the first n of the product order that pass the filter). */
  public sweepLimit = this.RULE("sweepLimit", () => {
    this.CONSUME(T.Limit);
    // As a range's count: `limit -1` is the sweep's "at least 1" error, not a syntax error and a stray axis `1`.
    this.OPTION(() => this.CONSUME(T.Minus, { LABEL: "sign" }));
    this.OPTION2(() => this.CONSUME(T.IntLiteral, { LABEL: "count" }));
  });

  public constraint = this.RULE("constraint", () => {
    this.OR((this.alts[9] ??= [{ ALT: () => this.CONSUME(T.Check, { LABEL: "kind" }) }, { ALT: () => this.CONSUME(T.Warn, { LABEL: "kind" }) }]));
    this.SUBRULE(this.expression, { LABEL: "condition" });
    this.OPTION(() => this.CONSUME(T.StringLiteral, { LABEL: "message" }));
  });

  /**
   * `key: Type = default` (a field declaration), `key = value` (an assignment) or `key { ... }` (a nested map).
   * The last two alternatives are error productions: a value on the key's line without `=`, and a bare key. They keep
   * one bad member from failing the whole block (the AST builder reports them), so the members after it still parse.
   */
  public entry = this.RULE("entry", () => {
    this.SUBRULE(this.keyPath);
    this.OR((this.altOptions[10] ??= {
      IGNORE_AMBIGUITIES: true, // `key {` is a nested map before it is a missing `=` in front of a map literal
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Colon);
            this.SUBRULE(this.typeExpr);
            this.OPTION(() => {
              this.CONSUME(T.Equals, { LABEL: "defaultEquals" });
              this.SUBRULE(this.expression, { LABEL: "default" });
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME2(T.Equals);
            this.SUBRULE2(this.expression, { LABEL: "value" });
          },
        },
        { ALT: () => this.SUBRULE(this.body) },
        {
          GATE: () => !lineBreakBetween(this.source, this.LA(0), this.LA(1)),
          ALT: () => this.SUBRULE3(this.expression, { LABEL: "valueWithoutEquals" }),
        },
        { ALT: () => {} },
      ],
    }));
  });

  public keyPath = this.RULE("keyPath", () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Dot, DEF: () => this.SUBRULE(this.keySegment) });
  });

  public keySegment = this.RULE("keySegment", () => {
    this.OR((this.alts[11] ??= [{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.StringLiteral) }, { ALT: () => this.CONSUME(T.IntLiteral) }]));
  });

  public nameOrString = this.RULE("nameOrString", () => {
    this.OR((this.alts[12] ??= [{ ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.StringLiteral) }]));
  });

  // --- types -----------------------------------------------------------------------------------

  public typeExpr = this.RULE("typeExpr", () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Pipe, DEF: () => this.SUBRULE(this.typeTerm) });
  });

  public typeTerm = this.RULE("typeTerm", () => {
    this.SUBRULE(this.typeAtom);
    this.OPTION(() => this.CONSUME(T.Question));
  });

  public typeAtom = this.RULE("typeAtom", () => {
    this.OR((this.alts[13] ??= [
      {
        ALT: () => {
          this.CONSUME(T.Name, { LABEL: "name" });
          this.OPTION(() => {
            this.CONSUME(T.Lt);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.typeExpr, { LABEL: "args" }) });
            this.CONSUME(T.Gt);
          });
          this.OPTION2(() => {
            this.CONSUME(T.LParen);
            this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.refinement) });
            this.CONSUME(T.RParen);
          });
        },
      },
      { ALT: () => this.CONSUME(T.Null, { LABEL: "null" }) },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.SUBRULE2(this.typeExpr, { LABEL: "element" });
          this.CONSUME(T.RBracket);
        },
      },
    ]));
  });

  /** A bound is arithmetic only (`float(> 0, <= max_len * 2)`). */
  public refinement = this.RULE("refinement", () => {
    this.CONSUME(T.CompareOp, { LABEL: "op" });
    this.SUBRULE(this.arithmetic, { LABEL: "bound" });
  });

  /** Operands joined by `+ - * /` only: a refinement's bound, a sweep range's ends (`linear(1e-5, 2 * base, ...)`). */
  public arithmetic = this.RULE("arithmetic", () => {
    this.SUBRULE(this.operand, { LABEL: "operands" });
    this.MANY(() => {
      this.OR((this.alts[14] ??= arithmeticOperators.map((t) => ({ ALT: () => this.CONSUME(t, { LABEL: "ops" }) }))));
      this.SUBRULE2(this.operand, { LABEL: "operands" });
    });
  });

  // --- expressions -------------------------------------------------------------------------------

  /**
   * Every operator in one flat rule: operands and the operators between them in source order; the AST builder applies
   * precedence (`or` < `and` < `not` < comparisons, `is`, `in` < `+ -` < `* /` < unary `-`). One rule per precedence
   * level made every literal a chain of nine rule invocations and CST nodes, most of the parser's time.
   */
  public expression = this.RULE("expression", () => {
    this.OR((this.alts[15] ??= [
      { ALT: () => this.SUBRULE(this.ifExpr) },
      {
        ALT: () => {
          this.SUBRULE(this.operand, { LABEL: "operands" });
          this.MANY(() =>
            this.OR2((this.alts[16] ??= [
              {
                ALT: () => {
                  this.OR3((this.alts[17] ??= infixOperators.map((t) => ({ ALT: () => this.CONSUME(t, { LABEL: "infix" }) }))));
                  this.SUBRULE2(this.operand, { LABEL: "operands" });
                },
              },
              {
                ALT: () => {
                  this.CONSUME(T.Is);
                  this.OPTION(() => this.CONSUME(T.Not, { LABEL: "isNot" }));
                  this.OR4((this.alts[18] ??= [{ ALT: () => this.CONSUME(T.Set, { LABEL: "what" }) }, { ALT: () => this.CONSUME(T.Null, { LABEL: "what" }) }]));
                },
              },
              {
                ALT: () => {
                  this.OPTION2(() => this.CONSUME2(T.Not, { LABEL: "inNot" }));
                  this.CONSUME(T.In);
                  this.SUBRULE3(this.operand, { LABEL: "operands" });
                },
              },
            ])),
          );
        },
      },
    ]));
  });

  public ifExpr = this.RULE("ifExpr", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression, { LABEL: "condition" });
    this.CONSUME(T.Then);
    this.SUBRULE2(this.expression, { LABEL: "then" });
    this.CONSUME(T.Else);
    this.SUBRULE3(this.expression, { LABEL: "else" });
  });

  /** A value with its prefix operators (`not`, `-`): a literal, list, map, reference, interpolation or parenthesis. */
  public operand = this.RULE("operand", () => {
    this.MANY(() => this.OR((this.alts[19] ??= [{ ALT: () => this.CONSUME(T.Not, { LABEL: "prefix" }) }, { ALT: () => this.CONSUME(T.Minus, { LABEL: "prefix" }) }])));
    this.OR2((this.alts[20] ??= [
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.FloatLiteral) },
      { ALT: () => this.CONSUME(T.IntLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.SUBRULE(this.listLiteral) },
      { ALT: () => this.SUBRULE(this.mapLiteral) },
      { ALT: () => this.SUBRULE(this.reference) },
      { ALT: () => this.SUBRULE(this.interpolation) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
    ]));
  });

  public listLiteral = this.RULE("listLiteral", () => {
    this.CONSUME(T.LBracket);
    this.MANY(() => {
      this.SUBRULE(this.expression, { LABEL: "items" });
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  public mapLiteral = this.RULE("mapLiteral", () => {
    this.SUBRULE(this.body);
  });

  /** A name or dotted path, optionally followed by a block: `blip_image_train { image_size = 384 }`. */
  public reference = this.RULE("reference", () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Dot, DEF: () => this.CONSUME(T.Name, { LABEL: "segments" }) });
    this.OPTION(() => this.SUBRULE(this.body));
  });

  public interpolation = this.RULE("interpolation", () => {
    this.CONSUME(T.DollarLCurly);
    this.SUBRULE(this.keyPath);
    this.CONSUME(T.RCurly);
  });

  public parenExpr = this.RULE("parenExpr", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });
}

/**
 * The `children` of a CST node: an object without a prototype, like chevrotain's own, but made by a constructor, so
 * V8 gives it fast properties. chevrotain 11 makes them with `Object.create(null)`, which V8 keeps in dictionary
 * mode: a hash table per node (about 13 of the 46 MB a 10,000-line parse allocated, and slower lookups in the AST
 * builder). Keys and values are the same, so the CST and the AST built from it do not change.
 */
export class CstChildren {}
Object.setPrototypeOf(CstChildren.prototype, null);

type FollowSets = Record<string, TokenType[]>;

/** The members of chevrotain's tree builder that `cstInvocationStateUpdate` uses (not in its public types). */
interface TreeBuilderInternals {
  CST_STACK: CstNode[];
  setInitialNodeLocation(node: CstNode): void;
}

let instance: LvParser | undefined;
/** The process-wide parser (building one runs the grammar analysis, so it is built once, on first use). */
export function lvParser(): LvParser {
  return (instance ??= new LvParser());
}
export { LvParser };
