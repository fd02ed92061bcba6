import type { CstNode, IToken } from "chevrotain";
import type * as C from "./cst.js";
import type * as A from "./ast.js";
import { diag, didYouMean, type Diagnostic, type Span } from "../diagnostics/index.js";
import { describeRule, describeToken } from "./parser.js";
import { operatorTree, ARITHMETIC, type OperatorItem, type OperatorHooks } from "./operators.js";
import { floatLiteralValue } from "./tokens.js";
import { lineBreakBetween } from "./lineBreaks.js";
import { readInterpolation } from "./interpolation.js";

/** The source-like text of a value, for hints. */
const exprTextOf = (e: A.Expr): string => (e.kind === "IntLit" || e.kind === "FloatLit" || e.kind === "StringLit" ? e.raw : e.kind === "Ref" ? e.path.map((p) => p.name).join(".") : "...");

const declarationWords = ["experiment", "schema", "enum", "arch", "builder", "processor", "task", "scheduler", "runner", "import"];

// Builds the AST from the CST. After error recovery any child may be absent, so every access is defensive and a
// missing value becomes a `Missing` node spanning the place where it was expected.

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  /** Tokens skipped by the grammar's `strayToken` error production; `syntaxDiagnostics` reports them. */
  readonly strayTokens: IToken[] = [];
  /** Offset of the end of the last real token seen: where a missing part is reported. */
  private lastEnd = 0;

  constructor(
    private readonly path: string,
    private readonly docs: ReadonlyMap<number, string>,
    /** The lexed tokens, to describe what follows an incomplete member. */
    private readonly tokens: readonly IToken[] = [],
    /** The parsed text, to tell whether that token is on the same line. */
    private readonly text = "",
  ) {}

  /** "`x`" for the token after `offset` when it is on the same line, else "the end of the line" (or file). */
  private describeAfter(offset: number): { found: string; at: Span } {
    let lo = 0, hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid]!.startOffset < offset) lo = mid + 1; else hi = mid;
    }
    const next = this.tokens[lo], prev = this.tokens[lo - 1];
    if (!next) return { found: "the end of the file", at: this.span(offset, offset) };
    if (prev && lineBreakBetween(this.text, prev, next)) return { found: "the end of the line", at: this.span(offset, offset) };
    return { found: describeToken(next), at: this.span(next.startOffset, next.endOffset! + 1) };
  }

  private span(start: number, end: number): Span {
    return { file: this.path, start, end };
  }

  private tokSpan(t: IToken): Span {
    if (t.isInsertedInRecovery || Number.isNaN(t.startOffset)) return this.span(this.lastEnd, this.lastEnd);
    this.lastEnd = t.endOffset! + 1;
    return this.span(t.startOffset, t.endOffset! + 1);
  }

  private nodeSpan(n: CstNode | undefined): Span {
    const loc = n?.location;
    if (!loc || Number.isNaN(loc.startOffset) || loc.endOffset === undefined || Number.isNaN(loc.endOffset)) {
      return this.span(this.lastEnd, this.lastEnd);
    }
    return this.span(loc.startOffset, loc.endOffset + 1);
  }

  private docAt(span: Span): string | null {
    return this.docs.get(span.start) ?? null;
  }

  private missing(): A.Missing {
    return { kind: "Missing", span: this.span(this.lastEnd, this.lastEnd) };
  }

  ident(t: IToken | undefined): A.Ident {
    if (!t) return { kind: "Ident", name: "", quoted: false, span: this.span(this.lastEnd, this.lastEnd) };
    const span = this.tokSpan(t);
    if (t.image.startsWith('"')) return { kind: "Ident", name: this.stringValue(t.image, span), quoted: true, span };
    return { kind: "Ident", name: t.isInsertedInRecovery ? "" : t.image, quoted: false, span };
  }

  /** Decodes a string literal's escapes, reporting unterminated strings and unknown escapes. */
  stringValue(raw: string, span: Span): string {
    const closed = /^"(?:[^"\\\n\r]|\\.)*"$/.test(raw);
    if (!closed) this.diagnostics.push(diag("LV1003", span));
    return this.decodeEscapes(raw.slice(1, closed ? -1 : undefined), span.start + 1, true);
  }

  /** The text of a string literal's body (starting at offset `at`), its escapes decoded; unknown ones reported if `report`. */
  private decodeEscapes(body: string, at: number, report: boolean): string {
    return body.replace(/\\(u\{[0-9a-fA-F]{1,6}\}|.)/g, (m, e: string, off: number) => {
      switch (e[0]) {
        case "n": return "\n";
        case "t": return "\t";
        case "r": return "\r";
        case '"': return '"';
        case "\\": return "\\";
        case "$": return "$";
        case "u": if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
      }
      if (report) this.diagnostics.push(diag("LV1004", this.span(at + off, at + off + m.length), { escape: m }));
      return e;
    });
  }

  stringLit(t: IToken): A.StringLit {
    const span = this.tokSpan(t);
    return { kind: "StringLit", value: this.stringValue(t.image, span), raw: t.image, span };
  }

  /**
   * A string literal where a value is expected: a template when it has a `${a.b}` that is not escaped as `\${`
   * (OmegaConf's string interpolation, syntax/interpolation.ts), otherwise a plain string.
   */
  stringExpr(t: IToken): A.StringLit | A.Template {
    const lit = this.stringLit(t);
    if (!t.image.includes("${")) return lit;
    const raw = t.image;
    const end = raw.length > 1 && raw.endsWith('"') ? raw.length - 1 : raw.length;
    const at = lit.span.start;
    const parts: (string | A.Ref | A.EnvPart)[] = [];
    let text = 1;
    for (let i = 1; i < end;) {
      if (raw[i] === "\\") {
        i += 2;
        continue;
      }
      if (raw[i] !== "$" || raw[i + 1] !== "{") {
        i++;
        continue;
      }
      const read = readInterpolation(raw.slice(0, end), i);
      const where = this.span(at + read.start, at + read.end);
      if ("detail" in read || ("up" in read && read.up)) {
        const detail = "detail" in read ? read.detail : "a relative reference (`${.k}`) is YAML's spelling; in `.lv` a name is looked up from the section it is written in";
        this.diagnostics.push(diag("LV1019", where, { detail }));
        return lit;
      }
      if (i > text) parts.push(this.decodeEscapes(raw.slice(text, i), at + text, false));
      parts.push("env" in read
        ? { kind: "Env", name: read.env, ...(read.fallback !== undefined ? { fallback: read.fallback } : {}), span: where }
        : { kind: "Ref", interpolated: true, span: where, path: read.path.map((name) => ({ kind: "Ident", name, quoted: false, span: where })) });
      i = text = read.end;
    }
    if (!parts.length) return lit;
    if (end > text) parts.push(this.decodeEscapes(raw.slice(text, end), at + text, false));
    return { kind: "Template", parts, raw, span: lit.span };
  }

  private readonly fileImports: A.Import[] = [];
  private readonly fileDeclarations: A.Declaration[] = [];
  private importsBuilt = false;

  /** The file's AST: its imports and declarations, after any `addDeclaration` calls made while parsing it. */
  buildFile(cst: C.FileCstNode, path: string, comments: readonly A.Comment[]): A.File {
    this.buildImports(cst);
    for (const d of cst.children.declaration ?? []) this.addDeclaration(d, cst);
    return { kind: "File", path, imports: this.fileImports, declarations: this.fileDeclarations, comments, span: this.span(0, this.lastEnd) };
  }

  /** One declaration of the file, in order, as soon as it is parsed (`LvParser.onDeclaration`). */
  addDeclaration(d: C.DeclarationCstNode, file: C.FileCstNode): void {
    this.buildImports(file);
    const misplaced = d.children.misplacedImport?.[0];
    if (misplaced) {
      const imp = this.importDecl(misplaced.children.importDecl[0]!);
      // Only an import after a declaration is misplaced; after a broken import the parser leaves the import list.
      if (this.fileDeclarations.length) this.diagnostics.push(diag("LV1007", imp.span));
      this.fileImports.push(imp);
      return;
    }
    const decl = this.declaration(d);
    if (decl) this.fileDeclarations.push(decl);
  }

  /** The imports at the top of the file, once: they are all parsed before its first declaration. */
  private buildImports(file: C.FileCstNode): void {
    if (this.importsBuilt) return;
    this.importsBuilt = true;
    for (const i of file.children.importDecl ?? []) this.fileImports.push(this.importDecl(i));
  }

  private importDecl(n: C.ImportDeclCstNode | undefined): A.Import {
    const c = n?.children;
    const path = c?.path?.[0] ? this.stringLit(c.path[0]) : ({ kind: "StringLit", value: "", raw: '""', span: this.span(this.lastEnd, this.lastEnd) } as const);
    return { kind: "Import", path, alias: c?.alias?.[0] ? this.ident(c.alias[0]) : null, span: this.nodeSpan(n) };
  }

  private declaration(n: C.DeclarationCstNode): A.Declaration | null {
    const c = n.children;
    if (c.experimentDecl?.[0]) return this.experiment(c.experimentDecl[0]);
    if (c.schemaDecl?.[0]) return this.schema(c.schemaDecl[0]);
    if (c.enumDecl?.[0]) return this.enumDecl(c.enumDecl[0]);
    if (c.registryDecl?.[0]) return this.registry(c.registryDecl[0]);
    const word = c.unknownDecl?.[0]?.children.word?.[0];
    if (word) {
      const found = describeToken(word);
      const hint = didYouMean(word.image, declarationWords);
      this.diagnostics.push(diag("LV1002", this.tokSpan(word), { expected: describeRule("declaration"), found }, { hint }));
    }
    return null;
  }

  private experiment(n: C.ExperimentDeclCstNode): A.ExperimentDecl {
    const span = this.nodeSpan(n);
    const c = n.children;
    const name = this.ident(c.name?.[0]);
    let ext: A.ExperimentDecl["extends"] = null;
    const t = c.extendsTarget?.[0]?.children;
    if (t?.path?.[0]) ext = this.stringLit(t.path[0]);
    else if (t?.segments) ext = t.segments.map((s) => this.ident(s));
    return { kind: "ExperimentDecl", name, extends: ext, members: this.body(c.body?.[0]), doc: this.docAt(span), span };
  }

  private schema(n: C.SchemaDeclCstNode): A.SchemaDecl {
    const span = this.nodeSpan(n);
    const c = n.children;
    const name = this.ident(c.name?.[0]);
    const bases = (c.baseList?.[0]?.children.base ?? []).map((b) => this.ident(b));
    return { kind: "SchemaDecl", name, bases, members: this.body(c.body?.[0]), doc: this.docAt(span), span };
  }

  private enumDecl(n: C.EnumDeclCstNode): A.EnumDecl {
    const span = this.nodeSpan(n);
    const c = n.children;
    const name = this.ident(c.name?.[0]);
    const values = (c.value ?? []).map((v) => this.nameOrString(v));
    if (c.RCurly?.[0]) this.tokSpan(c.RCurly[0]);
    return { kind: "EnumDecl", name, values, doc: this.docAt(span), span };
  }

  private registry(n: C.RegistryDeclCstNode): A.RegistryDecl {
    const span = this.nodeSpan(n);
    const c = n.children;
    const kindTok = c.kind?.[0];
    const registry = (kindTok?.image ?? "arch") as A.RegistryKind;
    const name = this.nameOrString(c.name?.[0]);
    const bases = (c.baseList?.[0]?.children.base ?? []).map((b) => this.ident(b));
    return { kind: "RegistryDecl", registry, name, bases, members: this.body(c.body?.[0]), doc: this.docAt(span), span };
  }

  private nameOrString(n: C.NameOrStringCstNode | undefined): A.Ident {
    const c = n?.children;
    return this.ident(c?.Name?.[0] ?? c?.StringLiteral?.[0]);
  }

  body(n: C.BodyCstNode | undefined): A.Member[] {
    const out: A.Member[] = [];
    this.stray(n?.children.strayToken);
    for (const b of n?.children.strayBlock ?? []) if (b.children.LCurly?.[0]) this.strayTokens.push(b.children.LCurly[0]);
    for (const m of n?.children.member ?? []) {
      const member = this.member(m);
      if (member) out.push(member);
    }
    const close = n?.children.RCurly?.[0];
    if (close && !close.isInsertedInRecovery) this.tokSpan(close);
    return out;
  }

  private member(n: C.MemberCstNode): A.Member | null {
    const c = n.children;
    const span = this.nodeSpan(n);
    const doc = this.docAt(span);
    // A member is one of these alternatives; the common one is looked up first (each miss is a slow lookup).
    if (c.entry?.[0]) return this.entry(c.entry[0], doc);
    if (c.taskClause?.[0]) {
      const t = c.taskClause[0];
      return { kind: "TaskClause", name: this.nameOrString(t.children.name?.[0]), span: this.nodeSpan(t) };
    }
    if (c.modelClause?.[0]) {
      const m = c.modelClause[0];
      const arch = this.nameOrString(m.children.arch?.[0]);
      const modelType = m.children.typeArg?.[0] ? this.nameOrString(m.children.typeArg[0].children.nameOrString?.[0]) : null;
      const members = m.children.body?.[0] ? this.body(m.children.body[0]) : null;
      return { kind: "ModelClause", arch, modelType, members, span: this.nodeSpan(m) };
    }
    if (c.dataClause?.[0]) {
      const d = c.dataClause[0];
      const builder = this.nameOrString(d.children.builder?.[0]);
      const dataType = d.children.typeArg?.[0] ? this.nameOrString(d.children.typeArg[0].children.nameOrString?.[0]) : null;
      const members = d.children.body?.[0] ? this.body(d.children.body[0]) : null;
      return { kind: "DataClause", builder, dataType, members, span: this.nodeSpan(d) };
    }
    if (c.recipeClause?.[0]) {
      const r = c.recipeClause[0];
      return { kind: "RecipeClause", members: this.body(r.children.body?.[0]), span: this.nodeSpan(r) };
    }
    if (c.sweepClause?.[0]) return this.sweep(c.sweepClause[0]);
    if (c.typeClause?.[0]) {
      const t = c.typeClause[0];
      const name = this.nameOrString(t.children.name?.[0]);
      return { kind: "TypeClause", name, members: this.body(t.children.body?.[0]), doc, span: this.nodeSpan(t) };
    }
    if (c.constraint?.[0]) {
      const k = c.constraint[0].children;
      const severity = k.kind?.[0]?.image === "warn" ? "warn" : "check";
      if (k.kind?.[0]) this.tokSpan(k.kind[0]);
      const condition = this.expression(k.condition?.[0]);
      const message = k.message?.[0] ? this.stringLit(k.message[0]) : null;
      return { kind: "Constraint", severity, condition, message, span: this.nodeSpan(c.constraint[0]) };
    }
    return null;
  }

  // --- sweeps ------------------------------------------------------------------------------------

  private sweep(n: C.SweepClauseCstNode): A.SweepClause {
    const span = this.nodeSpan(n);
    const c = n.children;
    this.stray(c.strayToken);
    if (c.Sweep?.[0]) this.tokSpan(c.Sweep[0]);
    // The CST groups children by rule; the AST keeps the source order.
    const parts: { at: number; build: () => A.SweepMember }[] = [
      ...(c.sweepAxis ?? []).map((a) => ({ at: a.location?.startOffset ?? 0, build: () => this.sweepAxis(a) })),
      ...(c.sweepZip ?? []).map((z) => ({ at: z.location?.startOffset ?? 0, build: () => this.sweepZip(z) })),
      ...(c.sweepFilter ?? []).map((f) => ({ at: f.location?.startOffset ?? 0, build: () => this.sweepFilter(f) })),
      ...(c.sweepLimit ?? []).map((l) => ({ at: l.location?.startOffset ?? 0, build: () => this.sweepLimit(l) })),
    ];
    const members = parts.sort((a, b) => a.at - b.at).map((p) => p.build());
    const close = c.RCurly?.[0];
    if (close && !close.isInsertedInRecovery) this.tokSpan(close);
    return { kind: "SweepClause", members, span };
  }

  private sweepAxis(n: C.SweepAxisCstNode): A.SweepAxis {
    const c = n.children;
    const span = this.nodeSpan(n);
    const key = this.keyPath(c.keyPath?.[0]);
    const eq = c.equalsInsteadOfIn?.[0];
    if (eq) this.diagnostics.push(diag("LV1002", this.tokSpan(eq), { expected: "`in`", found: "`=`" }, { hint: `A sweep axis lists its values after \`in\`: ${key.segments.map((s) => s.name).join(".")} in [...]` }));
    let domain: A.SweepAxis["domain"] = this.missing();
    const list = c.listLiteral?.[0];
    if (list) {
      const items = (list.children.items ?? []).map((i) => this.expression(i));
      if (list.children.RBracket?.[0]) this.tokSpan(list.children.RBracket[0]);
      domain = { kind: "ListLit", items, span: this.nodeSpan(list) };
    } else if (c.sweepRange?.[0]) domain = this.sweepRange(c.sweepRange[0]);
    else if (c.valueWithoutList?.[0]) {
      const value = this.expression(c.valueWithoutList[0]);
      this.diagnostics.push(diag("LV1002", value.span, { expected: "'[', `linear` or `log`", found: "a single value" }, { hint: `An axis lists its values: ${key.segments.map((s) => s.name).join(".")} in [${exprTextOf(value)}] for this one value alone.` }));
    } else if (c.In?.[0] || eq) {
      const { found, at } = this.describeAfter((c.In?.[0] ?? eq)!.endOffset! + 1);
      this.diagnostics.push(diag("LV1002", at, { expected: "a list of values (`[...]`), `linear(...)` or `log(...)`", found }));
    }
    return { kind: "SweepAxis", key, domain, span };
  }

  /** The command line's `--sweep KEY=VALUES`: a range, or the comma-separated values as a list spanning the whole text. */
  sweepValues(n: C.SweepValuesCstNode, length: number): A.ListLit | A.SweepRange {
    if (n.children.sweepRange?.[0]) return this.sweepRange(n.children.sweepRange[0]);
    const items = (n.children.items ?? []).map((i) => this.expression(i));
    return { kind: "ListLit", items, span: this.span(0, length) };
  }

  private sweepRange(n: C.SweepRangeCstNode): A.SweepRange {
    const c = n.children;
    const span = this.nodeSpan(n);
    const scaleTok = c.scale?.[0];
    if (scaleTok) this.tokSpan(scaleTok);
    const from = this.arithmetic(c.from?.[0]);
    const to = this.arithmetic(c.to?.[0]);
    const count = this.intLit(c.count?.[0], c.sign?.[0]);
    if (c.RParen?.[0] && !c.RParen[0].isInsertedInRecovery) this.tokSpan(c.RParen[0]);
    return { kind: "SweepRange", scale: scaleTok?.image === "log" ? "log" : "linear", from, to, count, span };
  }

  private sweepZip(n: C.SweepZipCstNode): A.SweepZip {
    const span = this.nodeSpan(n);
    this.stray(n.children.strayToken);
    if (n.children.Zip?.[0]) this.tokSpan(n.children.Zip[0]);
    const axes = (n.children.sweepAxis ?? []).map((a) => this.sweepAxis(a));
    const close = n.children.RCurly?.[0];
    if (close && !close.isInsertedInRecovery) this.tokSpan(close);
    return { kind: "SweepZip", axes, span };
  }

  private sweepFilter(n: C.SweepFilterCstNode): A.SweepFilter {
    const word = n.children.Filter?.[0];
    if (word) this.tokSpan(word);
    if (!n.children.condition?.[0] && word) this.missingAfter(word, "a condition");
    return { kind: "SweepFilter", condition: this.expression(n.children.condition?.[0]), span: this.nodeSpan(n) };
  }

  private sweepLimit(n: C.SweepLimitCstNode): A.SweepLimit {
    const word = n.children.Limit?.[0];
    if (word) this.tokSpan(word);
    if (!n.children.count?.[0] && word) this.missingAfter(word, "a number of trials");
    return { kind: "SweepLimit", count: this.intLit(n.children.count?.[0], n.children.sign?.[0]), span: this.nodeSpan(n) };
  }

  /** "Expected <what> but found the end of the line" after a word that needs something after it. */
  private missingAfter(word: IToken, what: string): void {
    const { found, at } = this.describeAfter(word.endOffset! + 1);
    this.diagnostics.push(diag("LV1002", at, { expected: what, found }));
  }

  /** Tokens skipped by the `strayToken` error production, for `syntaxDiagnostics` to report. */
  private stray(nodes: readonly C.StrayTokenCstNode[] | undefined): void {
    for (const s of nodes ?? []) {
      const t = Object.values(s.children).flat()[0] as IToken | undefined;
      if (t) this.strayTokens.push(t);
    }
  }

  /** An integer literal, negative when a `-` token (`sign`) comes before it. */
  private intLit(t: IToken | undefined, sign?: IToken): A.IntLit | A.Missing {
    if (!t || t.isInsertedInRecovery) return this.missing();
    const start = sign ? this.tokSpan(sign).start : null;
    const span = this.tokSpan(t);
    if (start === null) return { kind: "IntLit", value: Number(t.image), raw: t.image, span };
    return { kind: "IntLit", value: -Number(t.image), raw: `-${t.image}`, span: { ...span, start } };
  }

  private entry(n: C.EntryCstNode, doc: string | null): A.Member {
    const c = n.children;
    const span = this.nodeSpan(n);
    const key = this.keyPath(c.keyPath?.[0]);
    if (c.Colon) {
      const type = this.typeExpr(c.typeExpr?.[0]);
      const def = c.default?.[0] ? this.expression(c.default[0]) : c.defaultEquals ? this.missing() : null;
      return { kind: "FieldDecl", key, type, default: def, doc, span };
    }
    if (c.body?.[0]) return { kind: "Block", key, members: this.body(c.body[0]), doc, span };
    if (c.value?.[0]) return { kind: "Assignment", key, value: this.expression(c.value[0]), doc, span };
    // The error productions of the grammar: `key value` (no `=`) and a key alone.
    const bare = c.valueWithoutEquals?.[0];
    const { found, at } = this.describeAfter(key.span.end);
    this.diagnostics.push(diag("LV1002", at, { expected: bare ? "'='" : "'=' and a value", found }));
    return { kind: "Assignment", key, value: bare ? this.expression(bare) : this.missing(), doc, span };
  }

  private keyPath(n: C.KeyPathCstNode | undefined): A.KeyPath {
    const segments = (n?.children.keySegment ?? []).map((s) => {
      const t = s.children.Name?.[0] ?? s.children.StringLiteral?.[0] ?? s.children.IntLiteral?.[0];
      return this.ident(t);
    });
    return { kind: "KeyPath", segments, span: this.nodeSpan(n) };
  }

  // --- types -----------------------------------------------------------------------------------

  private typeExpr(n: C.TypeExprCstNode | undefined): A.TypeExpr {
    const terms = (n?.children.typeTerm ?? []).map((t) => this.typeTerm(t));
    if (terms.length === 0) return { kind: "MissingType", span: this.span(this.lastEnd, this.lastEnd) };
    if (terms.length === 1) return terms[0]!;
    return { kind: "UnionType", options: terms, span: this.nodeSpan(n) };
  }

  private typeTerm(n: C.TypeTermCstNode): A.TypeExpr {
    const atom = this.typeAtom(n.children.typeAtom?.[0]);
    if (n.children.Question?.[0]) {
      this.tokSpan(n.children.Question[0]);
      return { kind: "NullableType", inner: atom, span: this.nodeSpan(n) };
    }
    return atom;
  }

  private typeAtom(n: C.TypeAtomCstNode | undefined): A.TypeExpr {
    const c = n?.children;
    const span = this.nodeSpan(n);
    if (!c) return { kind: "MissingType", span };
    if (c.null?.[0]) {
      this.tokSpan(c.null[0]);
      return { kind: "NullType", span };
    }
    if (c.element?.[0]) return { kind: "ListTypeSugar", element: this.typeExpr(c.element[0]), span };
    const name = this.ident(c.name?.[0]);
    const args = (c.args ?? []).map((a) => this.typeExpr(a));
    const refinements = (c.refinement ?? []).map((r) => {
      const op = (r.children.op?.[0]?.image ?? "==") as A.CompareOperator;
      if (r.children.op?.[0]) this.tokSpan(r.children.op[0]);
      const bound = this.arithmetic(r.children.bound?.[0]);
      return { kind: "Refinement", op, bound, span: this.nodeSpan(r) } as const;
    });
    if (c.RParen?.[0]) this.tokSpan(c.RParen[0]);
    if (c.Gt?.[0]) this.tokSpan(c.Gt[0]);
    return { kind: "TypeRef", name, args, refinements, span };
  }

  // --- expressions --------------------------------------------------------------------------------

  expression(n: C.ExpressionCstNode | undefined): A.Expr {
    if (!n) return this.missing();
    const c = n.children;
    if (c.ifExpr?.[0]) {
      const i = c.ifExpr[0].children;
      return {
        kind: "IfExpr",
        condition: this.expression(i.condition?.[0]),
        then: this.expression(i.then?.[0]),
        else: this.expression(i.else?.[0]),
        span: this.nodeSpan(c.ifExpr[0]),
      };
    }
    return this.operation(c);
  }

  /** Operands and operators in source order (the parser keeps them in separate lists), folded by precedence. */
  private operation(c: C.ExpressionCstChildren): A.Expr {
    const lone = c.operands?.length === 1 && !c.infix && !c.Is && !c.isNot && !c.what && !c.In && !c.inNot ? c.operands[0]! : undefined;
    // Most values are one operand without operators: the operator tree of that is the operand itself.
    if (lone && !lone.children.prefix) return this.operand(lone);
    type Raw = { offset: number; kind: "prefix" | "infix" | "is" | "isNot" | "what" | "inNot" | "in"; token: IToken } | { offset: number; kind: "atom"; atom: C.OperandCstNode };
    const raw: Raw[] = [];
    const at = (t: IToken) => (Number.isNaN(t.startOffset) ? Infinity : t.startOffset);
    const add = (kind: Exclude<Raw["kind"], "atom">, tokens: IToken[] | undefined) => {
      for (const token of tokens ?? []) raw.push({ offset: at(token), kind, token });
    };
    for (const o of c.operands ?? []) {
      const prefix = o.children.prefix ?? [];
      add("prefix", prefix);
      // After its prefix operators; a recovered operand without tokens comes last (recovery ended the expression).
      const start = prefix.length ? at(prefix.at(-1)!) + 0.5 : o.location?.startOffset;
      raw.push({ offset: start === undefined || Number.isNaN(start) ? Infinity : start, kind: "atom", atom: o });
    }
    add("infix", c.infix);
    add("is", c.Is);
    add("isNot", c.isNot);
    add("what", c.what);
    add("inNot", c.inNot);
    add("in", c.In);
    raw.sort((a, b) => a.offset - b.offset);
    const items: OperatorItem<C.OperandCstNode>[] = [];
    for (let i = 0; i < raw.length; i++) {
      const r = raw[i]!;
      if (r.kind === "atom") items.push(r);
      else if (r.kind === "prefix" || r.kind === "infix") items.push({ kind: r.kind, token: r.token });
      else if (r.kind === "is") {
        const negated = raw[i + 1]?.kind === "isNot" ? (raw[++i] as { token: IToken }).token : undefined;
        const what = raw[i + 1]?.kind === "what" ? (raw[++i] as { token: IToken }).token : undefined;
        items.push({ kind: "is", token: r.token, negated, what });
      } else if (r.kind === "inNot" || r.kind === "in") {
        const negated = r.kind === "inNot";
        if (negated && raw[i + 1]?.kind === "in") i++;
        items.push({ kind: "in", token: r.token, negated });
      }
    }
    return operatorTree(items, this.operatorHooks);
  }

  /** Operands joined by arithmetic operators, strictly alternating (a refinement's bound, a sweep range's ends). */
  private arithmetic(n: C.ArithmeticCstNode | undefined): A.Expr {
    if (!n) return this.missing();
    const c = n.children;
    if (c.operands?.length === 1 && !c.ops && !c.operands[0]!.children.prefix) return this.operand(c.operands[0]);
    const items: OperatorItem<C.OperandCstNode>[] = [];
    (c.operands ?? []).forEach((o, i) => {
      if (i > 0 && c.ops?.[i - 1]) items.push({ kind: "infix", token: c.ops[i - 1]! });
      for (const token of o.children.prefix ?? []) items.push({ kind: "prefix", token });
      items.push({ kind: "atom", atom: o });
    });
    return operatorTree(items, this.operatorHooks, ARITHMETIC);
  }

  private readonly operatorHooks: OperatorHooks<C.OperandCstNode> = {
    atom: (o) => this.operand(o),
    missing: () => this.missing(),
    tokenSpan: (t) => this.tokSpan(t),
    misplaced: (t, expected) => this.diagnostics.push(diag("LV1002", this.tokSpan(t), { expected, found: describeToken(t) })),
  };

  /** The value of an operand whose prefix operators the operator tree has taken. */
  private operand(n: C.OperandCstNode | undefined): A.Expr {
    const c = n?.children;
    if (!c) return this.missing();
    // An operand's children are its prefix operators and one alternative: one pass over the keys finds it, where a
    // probe per alternative cost a slow lookup each (CST children come in many shapes, so these lookups are megamorphic).
    for (const key in c) {
      const value = key === "prefix" ? null : this.operandAlternative(c, key as keyof C.OperandCstChildren);
      if (value) return value;
    }
    return this.missing();
  }

  private operandAlternative(c: C.OperandCstChildren, key: keyof C.OperandCstChildren): A.Expr | null {
    switch (key) {
      case "StringLiteral":
        return c.StringLiteral?.[0] ? this.stringExpr(c.StringLiteral[0]) : null;
      case "FloatLiteral": {
        const t = c.FloatLiteral?.[0];
        return t ? { kind: "FloatLit", value: floatLiteralValue(t.image), raw: t.image, span: this.tokSpan(t) } : null;
      }
      case "IntLiteral": {
        const t = c.IntLiteral?.[0];
        return t ? { kind: "IntLit", value: Number(t.image), raw: t.image, span: this.tokSpan(t) } : null;
      }
      case "True":
        return c.True?.[0] ? { kind: "BoolLit", value: true, span: this.tokSpan(c.True[0]) } : null;
      case "False":
        return c.False?.[0] ? { kind: "BoolLit", value: false, span: this.tokSpan(c.False[0]) } : null;
      case "Null":
        return c.Null?.[0] ? { kind: "NullLit", span: this.tokSpan(c.Null[0]) } : null;
      case "listLiteral": {
        const l = c.listLiteral?.[0];
        if (!l) return null;
        const span = this.nodeSpan(l);
        const items = (l.children.items ?? []).map((i) => this.expression(i));
        if (l.children.RBracket?.[0]) this.tokSpan(l.children.RBracket[0]);
        return { kind: "ListLit", items, span };
      }
      case "mapLiteral": {
        const m = c.mapLiteral?.[0];
        return m ? { kind: "MapLit", members: this.body(m.children.body?.[0]), span: this.nodeSpan(m) } : null;
      }
      case "reference": {
        const r = c.reference?.[0];
        if (!r) return null;
        const span = this.nodeSpan(r);
        const path = (r.children.segments ?? []).map((s) => this.ident(s));
        if (r.children.body?.[0]) return { kind: "ObjectLit", tag: path, members: this.body(r.children.body[0]), span };
        return { kind: "Ref", path, interpolated: false, span };
      }
      case "interpolation": {
        const i = c.interpolation?.[0];
        if (!i) return null;
        const span = this.nodeSpan(i);
        const key = this.keyPath(i.children.keyPath?.[0]);
        if (i.children.RCurly?.[0]) this.tokSpan(i.children.RCurly[0]);
        return { kind: "Ref", path: key.segments, interpolated: true, span };
      }
      case "parenExpr": {
        const p = c.parenExpr?.[0];
        if (!p) return null;
        const span = this.nodeSpan(p);
        const inner = this.expression(p.children.expression?.[0]);
        if (p.children.RParen?.[0]) this.tokSpan(p.children.RParen[0]);
        return { kind: "Paren", inner, span };
      }
      default:
        return null;
    }
  }


}
