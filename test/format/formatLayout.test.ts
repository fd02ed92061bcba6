import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../../src/syntax/index.js";
import { format, maxWidth } from "../../src/format/index.js";
import { checkFormat } from "../harness/formatChecks.js";

// One rule of the canonical layout per test, on small inline inputs.

function fmt(text: string): string {
  const { output, problems } = checkFormat(text, "t.lv");
  assert.equal(problems, [], `formatter contract broken for:\n${text}`);
  return output;
}

const Layout = suite("format: layout rules");

Layout("members one per line, `key = value`, separators dropped, 2-space indent", () => {
  assert.is(fmt("experiment x { recipe { a=1; b = 2, c= 3 } }"), "experiment x {\n  recipe {\n    a = 1\n    b = 2\n    c = 3\n  }\n}\n");
});

Layout("fields print as `key: Type = default`; checks as `check cond \"msg\"`", () => {
  const out = fmt('schema S { a :int(>0,<=1)?=1 ; check a<=b   "a must not exceed b" }');
  assert.is(out, 'schema S {\n  a: int(> 0, <= 1)? = 1\n  check a <= b "a must not exceed b"\n}\n');
});

Layout("numbers and strings keep their source spelling", () => {
  const out = fmt('experiment x { recipe { a = 1e-5 b = 2E4 c = .5 d = 1.0 e = "t\\u{41}b\\n" } }');
  for (const raw of ["1e-5", "2E4", ".5", "1.0", '"t\\u{41}b\\n"']) assert.ok(out.includes(` = ${raw}\n`), raw);
});

Layout("a small tagged object, map or list stays on one line; a map separates members with `, `", () => {
  const out = fmt("experiment x { data d { p = blip_image_train {\n image_size = 384\n } m = { a = 1; b = [x,\n y] } } }");
  assert.ok(out.includes("    p = blip_image_train { image_size = 384 }\n"), out);
  assert.ok(out.includes("    m = { a = 1, b = [x, y] }\n"), out);
});

Layout(`a value wider than ${maxWidth} columns breaks one member or item per line`, () => {
  const items = Array.from({ length: 12 }, (_, i) => `split_number_${i}`);
  const out = fmt(`experiment x { recipe { splits = [${items.join(", ")}] } }`);
  assert.ok(out.includes("    splits = [\n      split_number_0,\n"), out);
  assert.ok(out.includes("      split_number_11,\n    ]\n"), out);
  const obj = fmt(`experiment x { recipe { p = proc { ${items.map((k) => `${k} = 1`).join(" ")} } } }`);
  assert.ok(obj.includes("    p = proc {\n      split_number_0 = 1\n"), obj);
});

Layout("the width limit is inclusive: a line of exactly 100 columns stays inline", () => {
  const prefix = "  a = [";
  const item = "x".repeat(maxWidth - prefix.length - "]".length);
  const out = fmt(`schema S { a = [${item}] }`);
  assert.ok(out.includes(`${prefix}${item}]\n`), out);
  assert.is(`${prefix}${item}]`.length, maxWidth);
  const longer = fmt(`schema S { a = [${item}y] }`);
  assert.ok(longer.includes("  a = [\n"), longer);
});

Layout("nested blocks and clause bodies always take several lines; empty ones print `{}`", () => {
  assert.is(fmt("arch a { type t { x { y = 1 } } type u {} }"), "arch a {\n  type t {\n    x {\n      y = 1\n    }\n  }\n  type u {}\n}\n");
});

Layout("blank lines: runs collapse to one, none after `{` or before `}`, one between declarations", () => {
  const out = fmt("\n\nexperiment a {\n\n  task t\n\n\n\n  recipe { x = 1 }\n\n}\nexperiment b { task t }\n\n\n\nenum E { a }\n");
  assert.is(out, "experiment a {\n  task t\n\n  recipe {\n    x = 1\n  }\n}\n\nexperiment b {\n  task t\n}\n\nenum E {\n  a\n}\n");
});

Layout("imports come first, followed by one blank line", () => {
  assert.is(fmt('import "a.lv"\nimport "b.lv" as b\nexperiment x { task t }'), 'import "a.lv"\nimport "b.lv" as b\n\nexperiment x {\n  task t\n}\n');
});

Layout("leading, trailing and closing comments stay where they were", () => {
  const src = "experiment x { // open\n  // lead\n  task t // trail\n  /* before close */ }";
  assert.is(fmt(src), "experiment x { // open\n  // lead\n  task t // trail\n  /* before close */\n}\n");
});

Layout("a comment inside a list puts one item per line", () => {
  assert.is(fmt("schema S { a = [x, /* why */ y] }"), "schema S {\n  a = [\n    x, /* why */\n    y,\n  ]\n}\n");
});

Layout("doc comments stay attached to the field they document", () => {
  const src = "schema S {\n/// The rate.\n\n  rate: float\n  /// Unattached: a line comment follows.\n  // plain\n  b: int\n}";
  const out = fmt(src);
  const field = parse(out, "t.lv").ast.declarations[0];
  assert.ok(field?.kind === "SchemaDecl");
  const docs = field.members.map((m) => ("doc" in m ? m.doc : undefined));
  assert.equal(docs, ["The rate.", null]);
});

Layout("a doc line's trailing spaces are not part of the doc, so formatting (which drops them) keeps the AST (found by fuzzing)", () => {
  const src = "schema S {\n  /// The rate.  \n  /// In 1/s. /* x */ \n  rate: float\n}\n";
  const field = parse(src, "t.lv").ast.declarations[0];
  assert.ok(field?.kind === "SchemaDecl");
  assert.equal(field.members.map((m) => ("doc" in m ? m.doc : undefined)), ["The rate.\nIn 1/s. /* x */"]);
  fmt(src); // the contract: same AST, idempotent, no trailing whitespace
});

Layout("a message-less check followed by a quoted key keeps a `;` (else the key would be read as the message)", () => {
  const out = fmt('schema S { check a; "k" = 1 }');
  assert.is(out, 'schema S {\n  check a;\n  "k" = 1\n}\n');
});

Layout("a line comment inside an expression continues the expression one level deeper", () => {
  assert.is(fmt("schema S { a = 1 + // why\n 2 }"), "schema S {\n  a = 1 + // why\n    2\n}\n");
});

Layout("CRLF input, tabs and trailing spaces give clean LF output", () => {
  assert.is(fmt("experiment x {\r\n\ttask t   // c   \r\n}\r\n"), "experiment x {\n  task t // c\n}\n");
});

Layout("an empty file stays empty; a file of comments keeps them", () => {
  assert.is(fmt(""), "");
  assert.is(fmt("  \n\n"), "");
  assert.is(fmt("// only\n\n\n/* comments */\n"), "// only\n\n/* comments */\n");
});

Layout("quoted names keep their quotes and escapes", () => {
  const out = fmt('experiment x { model "ViT-B-16"("a\\"b") task "t" recipe { "odd key".x = 1 } }');
  assert.ok(out.includes('  model "ViT-B-16"("a\\"b")\n') && out.includes('    "odd key".x = 1\n'), out);
});

Layout("format takes the AST and text from parse", () => {
  const text = "experiment x {task t}";
  assert.is(format(parse(text, "t.lv").ast, text), "experiment x {\n  task t\n}\n");
});

Layout.run();
