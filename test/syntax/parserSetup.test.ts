import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CstNode } from "chevrotain";
import { lvLexer } from "../../src/syntax/lexer.js";
import { CstChildren, LvParser, lvParser } from "../../src/syntax/parser.js";
import { parse } from "../../src/syntax/index.js";
import { spawnSync } from "node:child_process";
import { fromRoot } from "../harness/repoRoot.js";

// How the parser is set up for speed relies on chevrotain internals; these tests fail when a chevrotain upgrade
// changes them, instead of the parser silently getting slower (its speed itself is measured by bench/, never here).

const Setup = suite("syntax: parser set-up");

Setup("CST nodes get fast `children` (chevrotain still calls cstInvocationStateUpdate)", () => {
  const parser = lvParser();
  parser.input = lvLexer().tokenize("schema S { a: int = 1 }").tokens;
  const cst = parser.file();
  assert.equal(parser.errors, []);
  const seen: CstNode[] = [];
  const walk = (n: CstNode) => {
    seen.push(n);
    for (const k in n.children) for (const c of n.children[k]!) if ("children" in c) walk(c);
  };
  walk(cst);
  assert.ok(seen.length > 5);
  for (const n of seen) assert.is(Object.getPrototypeOf(n.children), CstChildren.prototype, n.name);
});

Setup("follow sets are computed on first use, and are the ones performSelfAnalysis computes", () => {
  const lazy = new LvParser();
  const pending = (lazy as unknown as { followSets: object }).followSets;
  assert.equal(Object.keys(pending), [], "performSelfAnalysis computed the follow sets (chevrotain no longer gates them on recoveryEnabled)");
  const eager = new LvParser(true).resyncFollows;
  assert.ok(Object.keys(eager).length > 50);
  assert.equal(lazy.resyncFollows, eager);
});

Setup("recovery that needs the follow sets works in a fresh process's parser", () => {
  // Re-synchronization (skipping `= =` up to the next member) reads the follow sets.
  const r = parse("schema S {\n  a: int = = = 1\n  b: int = 2\n}\n", "a.lv");
  assert.ok(r.diagnostics.length >= 1);
  const s = r.ast.declarations[0];
  assert.ok(s?.kind === "SchemaDecl");
  assert.ok(s.members.some((m) => m.kind === "FieldDecl" && m.key.segments[0]?.name === "b"), "the member after the error is kept");
});

Setup("chevrotain's grammar and lexer validations pass for both parsers (production skips them to start faster)", () => {
  const script = `const { lvLexer } = await import(${JSON.stringify(fromRoot("dist/src/syntax/lexer.js"))});
    const { lvParser } = await import(${JSON.stringify(fromRoot("dist/src/syntax/parser.js"))});
    const { parse } = await import(${JSON.stringify(fromRoot("dist/src/syntax/parse.js"))});
    lvLexer(); lvParser();
    // A plain file builds the fast parser (fastParser.ts) too.
    if (parse("experiment e { recipe { x = 1 } }", "a.lv").diagnostics.length) throw new Error("diagnostics");
    console.log("built");`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, LAVISC_VALIDATE_GRAMMAR: "1" }, encoding: "utf8" });
  assert.is(r.stderr, "");
  assert.is(r.status, 0);
  assert.is(r.stdout.trim(), "built");
});

/** The file's AST and diagnostics when the parser keeps every declaration's CST and the builder runs afterwards. */
function parseKeepingCst(text: string): string {
  const parser = lvParser();
  const listener = Object.getOwnPropertyDescriptor(parser, "onDeclaration")!;
  Object.defineProperty(parser, "onDeclaration", { configurable: true, get: () => null, set: () => {} });
  try {
    return JSON.stringify(parse(text, "a.lv"));
  } finally {
    Object.defineProperty(parser, "onDeclaration", listener);
  }
}

Setup("each declaration's CST is handed to the AST builder as it is parsed, with the same AST and diagnostics", () => {
  const parser = lvParser();
  const handed: string[] = [];
  parser.onDeclaration = (d, file) => {
    handed.push(Object.keys(d.children)[0]!);
    assert.is(file.name, "file");
  };
  parser.input = lvLexer().tokenize("schema S { a: int = 1 }\nenum E { x }\nexperiment e { }\n").tokens;
  const cst = parser.file();
  parser.onDeclaration = null;
  assert.equal(handed, ["schemaDecl", "enumDecl", "experimentDecl"]);
  assert.equal(cst.children["declaration"] ?? [], [], "the file's node dropped the declarations it handed over");
  const inputs = [
    'import "a.lv"\nschema S { a: int = 1 }\nimport "b.lv"\nexperiment e extends S { recipe { init_lr = 1e-4 } }\n',
    "schema S {\n  a: int = = = 1\n  b: int = 2\n}\nexperimnt x { a = 1 }\nenum E { x, y",
    "experiment e {\n  model blip(\n  recipe { max_epoch = }\n}\nschema T { a: [int] = [1, 2 }\n",
  ];
  for (const text of inputs) assert.is(JSON.stringify(parse(text, "a.lv")), parseKeepingCst(text), text);
});

Setup.run();
