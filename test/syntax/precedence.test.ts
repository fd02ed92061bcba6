import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../../src/syntax/index.js";
import type * as A from "../../src/syntax/ast.js";

// The parser keeps operators flat (one `expression` rule); the AST builder applies precedence. These pin the trees
// the old one-rule-per-level grammar built, and the errors for operators where precedence allows none.

const Precedence = suite("syntax: operator precedence");

/** A fully parenthesized rendering of an expression tree. */
function tree(e: A.Expr): string {
  switch (e.kind) {
    case "Binary": return `(${tree(e.left)} ${e.op} ${tree(e.right)})`;
    case "Unary": return `(${e.op} ${tree(e.operand)})`;
    case "IsCheck": return `(${tree(e.operand)} is${e.negated ? " not" : ""} ${e.what})`;
    case "InCheck": return `(${tree(e.operand)}${e.negated ? " not" : ""} in ${tree(e.collection)})`;
    case "Ref": return e.path.map((p) => p.name).join(".");
    case "IntLit": case "FloatLit": return e.raw;
    case "ListLit": return `[${e.items.map(tree).join(", ")}]`;
    case "Paren": return tree(e.inner);
    case "IfExpr": return `(if ${tree(e.condition)} then ${tree(e.then)} else ${tree(e.else)})`;
    default: return e.kind;
  }
}

function valueOf(text: string): { tree: string; errors: string[] } {
  const r = parse(`schema S {\n  x = ${text}\n}\n`, "p.lv");
  const decl = r.ast.declarations[0] as A.SchemaDecl;
  const member = decl.members[0] as A.Assignment;
  return { tree: tree(member.value), errors: r.diagnostics.map((d) => `${d.code} ${d.message}`) };
}

const cases: [string, string][] = [
  ["1 + 2 * 3 - 4", "((1 + (2 * 3)) - 4)"],
  ["- - 3 * 4 + 2 / -x", "(((- (- 3)) * 4) + (2 / (- x)))"],
  ["a or b and c or d", "((a or (b and c)) or d)"],
  ["not a == b and c", "((not (a == b)) and c)"],
  ["not not a", "(not (not a))"],
  ["a is not set and b in [1, 2] or c not in d", "(((a is not set) and (b in [1, 2])) or (c not in d))"],
  ["x in a + b", "(x in (a + b))"],
  ["a * (b + c) >= d / 2", "((a * (b + c)) >= (d / 2))"],
  ["if a > 1 then b else c + 1", "(if (a > 1) then b else (c + 1))"],
];
for (const [text, expected] of cases) {
  Precedence(text, () => {
    const r = valueOf(text);
    assert.equal(r.errors, []);
    assert.is(r.tree, expected);
  });
}

Precedence("comparisons do not chain", () => {
  const r = valueOf("a < b < c");
  assert.equal(r.errors, ["LV1002 Expected `and`, `or` or the end of the value (comparisons do not chain) but found `<`."]);
});

Precedence("`not` inside arithmetic or after `-` is a mistake", () => {
  assert.equal(valueOf("1 + not y").errors, ["LV1002 Expected a value but found `not`."]);
  assert.equal(valueOf("- not y").errors, ["LV1002 Expected a value but found `not`."]);
  assert.equal(valueOf("a == not b").errors, ["LV1002 Expected a value but found `not`."]);
});

Precedence("a refinement's bound is arithmetic", () => {
  const r = parse("schema S {\n  x: float(> 0, <= 1 + 2 * 3) = 1\n}\n", "p.lv");
  assert.equal(r.diagnostics, []);
  const field = (r.ast.declarations[0] as A.SchemaDecl).members[0] as A.FieldDecl;
  const type = field.type as A.TypeRef;
  assert.equal(type.refinements.map((x) => `${x.op} ${tree(x.bound)}`), ["> 0", "<= (1 + (2 * 3))"]);
});

Precedence.run();
