import { test } from "uvu";
import * as assert from "uvu/assert";
import { lvLexer } from "../../src/syntax/lexer.js";
import { lineBreakBetween, startsLine } from "../../src/syntax/lineBreaks.js";
import { SourceFile } from "../../src/diagnostics/index.js";
import { parse } from "../../src/syntax/index.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../harness/repoRoot.js";
import { checkFormat } from "../harness/formatChecks.js";

// The lexer tracks offsets only; the grammar's same-line rules (a value after `key` without `=`, a sweep axis's
// single value, a filter's condition, a declaration keyword at column 1) read the text between tokens instead.

const tokens = (text: string) => lvLexer().tokenize(text).tokens;

test("every token has its end offset, as a lexer tracking lines and columns gives it", () => {
  const text = 'a = "x\\"y" // c\n  b.c = [1, 2.5]\n/* two\nlines */ d';
  for (const t of tokens(text)) assert.is(text.slice(t.startOffset, t.endOffset! + 1), t.image);
  for (const c of lvLexer().tokenize(text).groups["comments"]!) assert.is(text.slice(c.startOffset, c.endOffset! + 1), c.image);
});

test("a line break between two tokens, also one inside a block comment between them; none within a line", () => {
  const text = "a b\nc /* x\n */ d /* y */ e";
  const [a, b, c, d, e] = tokens(text);
  assert.is(lineBreakBetween(text, a!, b!), false);
  assert.is(lineBreakBetween(text, b!, c!), true);
  assert.is(lineBreakBetween(text, c!, d!), true);
  assert.is(lineBreakBetween(text, d!, e!), false);
});

test("chevrotain's end-of-input token (no offset) counts as on another line", () => {
  const text = "a";
  const [a] = tokens(text);
  const eof = { ...a!, startOffset: NaN, endOffset: NaN };
  assert.is(lineBreakBetween(text, a!, eof), true);
  assert.is(lineBreakBetween(text, eof, a!), true);
});

test("a token starts its line at offset 0 or right after a line break, not after spaces", () => {
  const text = "schema A {}\n  builder b {}\nbuilder c {}";
  const starts = tokens(text).filter((t) => startsLine(text, t)).map((t) => t.image);
  assert.equal(starts, ["schema", "builder"]);
});

test("the same-line rules: a value after a key on its line is `key value` (LV1002), on the next line a new member", () => {
  const sameLine = parse("experiment e {\n  recipe { init_lr 0.1 }\n}\n", "a.lv");
  assert.equal(sameLine.diagnostics.map((d) => d.code), ["LV1002"]);
  assert.match(sameLine.diagnostics[0]!.message, /Expected '='/);
  const nextLine = parse("experiment e {\n  recipe {\n    init_lr\n    min_lr = 0.1\n  }\n}\n", "a.lv");
  assert.equal(nextLine.diagnostics.map((d) => d.code), ["LV1002"]);
  assert.match(nextLine.diagnostics[0]!.message, /'=' and a value but found the end of the line/);
  // A block comment that spans lines is a line break too.
  const acrossComment = parse("experiment e {\n  recipe {\n    init_lr /* a\n */ min_lr = 0.1\n  }\n}\n", "a.lv");
  assert.match(acrossComment.diagnostics[0]!.message, /'=' and a value but found the end of the line/);
});

test("\\r\\n and a lone \\r end lines as \\n does: the same diagnostics at the same lines, the same formatting", () => {
  const quickstart = readFileSync(join(repoRoot(), "projects/quickstart/retrieval_shapes.lv"), "utf8");
  // A member without a value (a same-line rule) and a duplicate key after it (its line number).
  const broken = quickstart.replace("    init_lr = 3e-3\n", "    init_lr = 3e-3\n    weight_decay =\n");
  const diagnosticsOf = (text: string) => {
    const file = new SourceFile("a.lv", text);
    return parse(text, "a.lv").diagnostics.map((d) => {
      const { line, column } = file.position(d.span?.start ?? 0);
      return `${d.code} ${line}:${column} ${d.message}`;
    });
  };
  const lf = diagnosticsOf(broken);
  assert.ok(lf.length > 0 && lf[0]!.includes("end of the line"), "the broken file has its same-line error");
  for (const end of ["\r\n", "\r"]) {
    assert.equal(diagnosticsOf(broken.replace(/\n/g, end)), lf, JSON.stringify(end));
    const ok = quickstart.replace(/\n/g, end);
    assert.is(parse(ok, "a.lv").diagnostics.length, 0, `the quickstart parses with ${JSON.stringify(end)} line ends`);
    assert.is(checkFormat(ok, "a.lv").output, quickstart, `fmt of the quickstart with ${JSON.stringify(end)} line ends is the quickstart`);
  }
  const text = "a\rb";
  const [a, b] = tokens(text);
  assert.is(lineBreakBetween(text, a!, b!), true);
  assert.is(startsLine(text, b!), true);
});

test.run();
