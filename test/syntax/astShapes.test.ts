import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../../src/syntax/index.js";
import type { Expr, Member } from "../../src/syntax/index.js";
import { stripSpans } from "../harness/stripSpans.js";

// Small inline cases pinning the AST the parser builds.

function members(body: string): readonly Member[] {
  const r = parse(`schema S {\n${body}\n}`, "a.lv");
  assert.equal(r.diagnostics.map((d) => d.message), []);
  const s = r.ast.declarations[0];
  assert.ok(s?.kind === "SchemaDecl");
  return s.members;
}

function value(text: string): unknown {
  const m = members(`v = ${text}`)[0];
  assert.ok(m?.kind === "Assignment");
  return stripSpans(m.value as Expr);
}

const ident = (name: string, quoted = false) => ({ kind: "Ident", name, quoted });

const Ast = suite("syntax: AST shapes");

Ast("`1e-5` and `2e4` are floats that keep their raw text; `3` is an int", () => {
  assert.equal(value("1e-5"), { kind: "FloatLit", value: 1e-5, raw: "1e-5" });
  assert.equal(value("2e4"), { kind: "FloatLit", value: 20000, raw: "2e4" });
  assert.equal(value(".5"), { kind: "FloatLit", value: 0.5, raw: ".5" });
  assert.equal(value("3"), { kind: "IntLit", value: 3, raw: "3" });
});

Ast("`-3` is a unary minus on an int literal", () => {
  assert.equal(value("-3"), { kind: "Unary", op: "-", operand: { kind: "IntLit", value: 3, raw: "3" } });
});

Ast("`${a.b}` is an interpolated reference; `a.b` a plain one", () => {
  assert.equal(value("${a.b}"), { kind: "Ref", path: [ident("a"), ident("b")], interpolated: true });
  assert.equal(value("a.b"), { kind: "Ref", path: [ident("a"), ident("b")], interpolated: false });
});

Ast("`blip_image_train { image_size = 384 }` is a tagged object", () => {
  assert.equal(value("blip_image_train { image_size = 384 }"), {
    kind: "ObjectLit",
    tag: [ident("blip_image_train")],
    members: [{ kind: "Assignment", key: { kind: "KeyPath", segments: [ident("image_size")] }, value: { kind: "IntLit", value: 384, raw: "384" }, doc: null }],
  });
});

Ast("strings decode escapes and keep their raw text", () => {
  assert.equal(value('"a\\tb\\u{41}\\$"'), { kind: "StringLit", value: "a\tbA$", raw: '"a\\tb\\u{41}\\$"' });
});

Ast("operators nest by precedence: `or` < `and` < `not` < comparison < `+` < `*`", () => {
  const e = value("not a or b and c < 1 + 2 * 3") as { kind: string; op: string; left: { kind: string; op: string }; right: { kind: string; op: string; right: { op: string } } };
  assert.is(e.op, "or");
  assert.is(e.left.op, "not");
  assert.is(e.right.op, "and");
  assert.is(e.right.right.op, "<");
  assert.equal(value("x is not null"), { kind: "IsCheck", operand: { kind: "Ref", path: [ident("x")], interpolated: false }, negated: true, what: "null" });
  assert.equal((value("x not in [1]") as { kind: string; negated: boolean }).negated, true);
});

Ast("`///` comments become the `doc` of the field that follows", () => {
  const [rate, plain] = members("  /// Initial learning rate.\n  /// After warm-up.\n  init_lr: float(> 0)\n  b: int");
  assert.ok(rate?.kind === "FieldDecl" && plain?.kind === "FieldDecl");
  assert.is(rate.doc, "Initial learning rate.\nAfter warm-up.");
  assert.is(plain.doc, null);
});

Ast("field types: refinements, nullable, unions, list sugar, generic arguments", () => {
  const [a, b, c] = members("  a: float(> 0, <= 1)?\n  b: [int] | null\n  c: map<list<string>>");
  assert.ok(a?.kind === "FieldDecl" && b?.kind === "FieldDecl" && c?.kind === "FieldDecl");
  assert.is(a.type.kind, "NullableType");
  assert.equal((stripSpans(b.type) as { options: { kind: string }[] }).options.map((o) => o.kind), ["ListTypeSugar", "NullType"]);
  assert.equal(stripSpans(c.type), { kind: "TypeRef", name: ident("map"), args: [{ kind: "TypeRef", name: ident("list"), args: [{ kind: "TypeRef", name: ident("string"), args: [], refinements: [] }], refinements: [] }], refinements: [] });
});

Ast("keywords are soft: `task`, `model`, `type` and `data` work as keys", () => {
  const ms = members("  task: Task\n  model = x\n  type = eval\n  data.path = 1\n  recipe { a = 1 }");
  assert.equal(ms.map((m) => m.kind), ["FieldDecl", "Assignment", "Assignment", "Assignment", "RecipeClause"]);
});

Ast("clauses of an experiment", () => {
  const r = parse('experiment x extends "base.lv" { task captioning model blip_caption(base_coco) data "coco"(default) { a = 1 } }', "e.lv");
  assert.equal(r.diagnostics, []);
  const e = stripSpans(r.ast.declarations[0]) as { extends: unknown; members: unknown[] };
  assert.equal(e.extends, { kind: "StringLit", value: "base.lv", raw: '"base.lv"' });
  assert.equal(e.members[1], { kind: "ModelClause", arch: ident("blip_caption"), modelType: ident("base_coco"), members: null });
  assert.equal((e.members[2] as { builder: unknown }).builder, ident("coco", true));
});

Ast("error productions: `key value` and a bare key become assignments and one error each", () => {
  const r = parse("schema S {\n  a 1\n  b\n}", "e.lv");
  assert.equal(r.diagnostics.map((d) => d.message), ["Expected '=' but found `1`.", "Expected '=' and a value but found the end of the line."]);
  const s = r.ast.declarations[0];
  assert.ok(s?.kind === "SchemaDecl");
  assert.equal(s.members.map((m) => (m.kind === "Assignment" ? m.value.kind : m.kind)), ["IntLit", "Missing"]);
});

Ast("every span lies inside the text", () => {
  const text = "experiment x { recipe { a = [1, 2] b = { c = d } } }";
  const r = parse(text, "s.lv");
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== "object") return;
    const span = (n as { span?: { start: number; end: number; file: string } }).span;
    if (span) assert.ok(span.file === "s.lv" && 0 <= span.start && span.start <= span.end && span.end <= text.length, JSON.stringify(span));
    Object.values(n).forEach(walk);
  };
  walk(r.ast);
});

Ast.run();
