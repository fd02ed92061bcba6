import type { CstNode, IToken } from "chevrotain";
import { lvLexer } from "./lexer.js";
import { lvParser } from "./parser.js";
import { AstBuilder } from "./toAst.js";
import { syntaxDiagnostics, type SyntaxErrorInput } from "./syntaxDiagnostics.js";
import { parsePlain, plainParserSwitch } from "./fastParser.js";
import { astNesting, bracketNesting, isStackOverflow, tooDeep } from "./nestingDepth.js";
import { DocComment, BlockComment, Comma, Semicolon } from "./tokens.js";
import type * as A from "./ast.js";
import type * as C from "./cst.js";
import { diag, type Diagnostic } from "../diagnostics/index.js";

export interface ParseResult {
  readonly ast: A.File;
  readonly diagnostics: readonly Diagnostic[];
}

/** Parses one `.lv` file: every lexing and parsing error in one pass, and an AST even for broken input. */
export function parse(text: string, path: string): ParseResult {
  // A UTF-8 byte-order mark (editors on Windows write one) reads as a space, so every offset stays the same.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const lexed = lvLexer().tokenize(source);
  const diagnostics: Diagnostic[] = [];

  for (const e of lexed.errors) {
    const ch = text.slice(e.offset, e.offset + e.length);
    diagnostics.push(diag("LV1001", { file: path, start: e.offset, end: e.offset + Math.max(1, e.length) }, { char: ch.length > 12 ? ch.slice(0, 12) + "…" : ch }));
  }

  const comments: A.Comment[] = [];
  for (const g of lexed.groups.comments ?? []) {
    const style = g.tokenType === DocComment ? "doc" : g.tokenType === BlockComment ? "block" : "line";
    const span = { file: path, start: g.startOffset, end: g.endOffset! + 1 };
    if (style === "block" && !g.image.endsWith("*/")) diagnostics.push(diag("LV1005", span));
    comments.push({ kind: "Comment", style, text: g.image, span });
  }

  // Too deep to parse (nestingDepth.ts): the diagnostic and an empty file, which no later stage can trip on.
  const tooDeepFile = (d: Diagnostic): ParseResult => ({
    ast: { kind: "File", path, imports: [], declarations: [], comments, span: { file: path, start: 0, end: text.length } },
    diagnostics: [...diagnostics, d],
  });
  const nesting = bracketNesting(lexed.tokens, path);
  if (nesting.tooDeep) return tooDeepFile(nesting.tooDeep);
  try {
    const docs = docTable(comments, lexed.tokens, text);
    // Plain valid syntax (nearly every file) is parsed without a CST; anything else by the full parser, which
    // recovers and reports (fastParser.ts). Not a file that may nest too deep (hundreds of operators in one
    // declaration): the full parser's guards handle those as before, and a stack overflow in the fast parser would
    // leave chevrotain's engine, which both parsers share, in a state where the full parser's overflow is misreported.
    if (plainParserSwitch.enabled && !nesting.mayBeDeep) {
      const builder = new AstBuilder(path, docs, lexed.tokens, source);
      const plain = parsePlain(lexed.tokens, source, path, docs, builder);
      if (plain) return finish(text, path, { ...plain, comments }, nesting.mayBeDeep, tooDeepFile, { path, text, tokens: lexed.tokens, parserErrors: [], strayTokens: [], otherDiagnostics: [...diagnostics, ...builder.diagnostics] });
    }
    const parser = lvParser();
    const builder = new AstBuilder(path, docs, lexed.tokens, source);
    parser.source = source;
    parser.input = lexed.tokens;
    parser.onDeclaration = (d, file) => builder.addDeclaration(d as C.DeclarationCstNode, file as C.FileCstNode);
    let cst: C.FileCstNode;
    try {
      cst = parser.file() as C.FileCstNode;
    } finally {
      parser.onDeclaration = null;
    }
    const ast = builder.buildFile(cst, path, comments);
    return finish(text, path, ast, nesting.mayBeDeep, tooDeepFile, { path, text, tokens: lexed.tokens, parserErrors: parser.errors, strayTokens: builder.strayTokens, otherDiagnostics: [...diagnostics, ...builder.diagnostics] });
  } catch (e) {
    if (isStackOverflow(e)) return tooDeepFile(tooDeep(path, 0, text.length, "nested expressions"));
    throw e;
  }
}

/** The file's result from its AST: too deep, or the AST spanning the whole text with every diagnostic. */
function finish(text: string, path: string, ast: A.File, mayBeDeep: boolean, tooDeepFile: (d: Diagnostic) => ParseResult, errors: SyntaxErrorInput): ParseResult {
  const deepAst = mayBeDeep ? astNesting(ast, path) : null;
  if (deepAst) return tooDeepFile(deepAst);
  return { ast: { ...ast, span: { file: path, start: 0, end: text.length } }, diagnostics: syntaxDiagnostics(errors) };
}

/** Parses a fragment with one grammar rule (command-line values), with the same lexing and error reporting as a file. */
function parseFragment<T>(text: string, path: string, rule: (p: ReturnType<typeof lvParser>) => CstNode, build: (b: AstBuilder, cst: CstNode) => T): { value: T | null; diagnostics: readonly Diagnostic[] } {
  const lexed = lvLexer().tokenize(text);
  const diagnostics: Diagnostic[] = lexed.errors.map((e) =>
    diag("LV1001", { file: path, start: e.offset, end: e.offset + Math.max(1, e.length) }, { char: text.slice(e.offset, e.offset + e.length) }),
  );
  const parser = lvParser();
  const nesting = bracketNesting(lexed.tokens, path);
  if (nesting.tooDeep) return { value: null, diagnostics: [...diagnostics, nesting.tooDeep] };
  try {
    parser.source = text;
    parser.input = lexed.tokens;
    const cst = rule(parser);
    const builder = new AstBuilder(path, new Map(), lexed.tokens, text);
    const value = build(builder, cst);
    const deepAst = nesting.mayBeDeep ? astNesting(value as object, path) : null;
    if (deepAst) return { value: null, diagnostics: [...diagnostics, deepAst] };
    const all = syntaxDiagnostics({ path, text, tokens: lexed.tokens, parserErrors: parser.errors, strayTokens: builder.strayTokens, otherDiagnostics: [...diagnostics, ...builder.diagnostics] });
    return { value, diagnostics: all };
  } catch (e) {
    if (isStackOverflow(e)) return { value: null, diagnostics: [...diagnostics, tooDeep(path, 0, text.length, "nested expressions")] };
    throw e;
  }
}

const missingExpr = (text: string, path: string): A.Expr => ({ kind: "Missing", span: { file: path, start: 0, end: text.length } }) as A.Expr;

/** Parses a single value expression (command-line overrides: `--set recipe.init_lr=3e-5`). */
export function parseExpression(text: string, path: string): { expr: A.Expr; diagnostics: readonly Diagnostic[] } {
  const r = parseFragment(text, path, (p) => p.expression(), (b, cst) => b.expression(cst as C.ExpressionCstNode));
  return { expr: r.value ?? missingExpr(text, path), diagnostics: r.diagnostics };
}

/** Parses the values of a command-line sweep axis (`--sweep recipe.seed=1,2,3`, `--sweep recipe.init_lr=log(1e-5, 1e-3, count = 3)`). */
export function parseSweepValues(text: string, path: string): { domain: A.ListLit | A.SweepRange; diagnostics: readonly Diagnostic[] } {
  const r = parseFragment(text, path, (p) => p.sweepValues(), (b, cst) => b.sweepValues(cst as C.SweepValuesCstNode, text.length));
  return { domain: r.value ?? ({ kind: "ListLit", items: [], span: { file: path, start: 0, end: text.length } } satisfies A.ListLit), diagnostics: r.diagnostics };
}

/** Maps the start offset of the token after a run of `///` lines to the run's text (the doc of what follows). */
function docTable(comments: readonly A.Comment[], tokens: readonly IToken[], text: string): Map<number, string> {
  const docs = new Map<number, string>();
  let run: string[] = [];
  let runEnd = -1;
  let ti = 0;
  const flush = () => {
    if (!run.length) return;
    while (ti < tokens.length && tokens[ti]!.startOffset < runEnd) ti++;
    // A separator after the run (`/// doc` then `; b = 2`) does not stop it from documenting the member after it.
    while (ti < tokens.length && (tokens[ti]!.tokenType === Comma || tokens[ti]!.tokenType === Semicolon)) ti++;
    const next = tokens[ti];
    // Only a doc run directly followed by code (blank lines allowed, no other comment in between) documents it.
    if (next) docs.set(next.startOffset, run.join("\n"));
    run = [];
  };
  for (const c of comments) {
    if (c.style === "doc") {
      if (run.length && /[^\s,;]/.test(text.slice(runEnd, c.span.start))) flush();
      // Trailing spaces are not part of a doc (the formatter drops them; hover would show them).
      run.push(c.text.replace(/^\/\/\/ ?/, "").trimEnd());
      runEnd = c.span.end;
    } else if (run.length && /[^\s,;]/.test(text.slice(runEnd, c.span.start))) {
      flush();
    } else {
      run = []; // another comment between the doc run and the code: the run documents nothing
    }
  }
  flush();
  return docs;
}

