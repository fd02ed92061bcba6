import { suite } from "uvu";
import * as assert from "uvu/assert";
import { listCases } from "../harness/listCases.js";
import { compareBaseline } from "../harness/compareBaseline.js";
import { parseAndRender } from "../harness/parseAndRender.js";
import type { Member } from "../../src/syntax/index.js";

// Golden files for parse errors: each broken input in test/cases/syntax starts with `// expect: N error(s)`, the
// number of mistakes it contains, and its rendered diagnostics are compared with test/baselines/syntax/<name>.errors.txt.

const Golden = suite("syntax: rendered parse errors");
const cases = listCases("test/cases/syntax");

Golden("there are at least 15 broken inputs", () => {
  assert.ok(cases.length >= 15, `only ${cases.length}`);
});

for (const c of cases) {
  Golden(c.name, () => {
    const expected = Number(/^\/\/ expect: (\d+) errors?\n/.exec(c.text)?.[1] ?? NaN);
    assert.ok(Number.isInteger(expected), "the case must start with `// expect: N error(s)`");
    const { result, rendered } = parseAndRender(c.text, `${c.name}.lv`);
    assert.is(result.diagnostics.length, expected, `one error per mistake expected, got:\n${rendered}`);
    compareBaseline(`test/baselines/syntax/${c.name}.errors.txt`, rendered);
  });
}
Golden.run();

const Recovery = suite("syntax: recovery keeps the rest of the file");
const byName = new Map(cases.map((c) => [c.name, c.text]));
const keysOf = (members: readonly Member[]) => members.map((m) => ("key" in m ? m.key.segments.map((s) => s.name).join(".") : m.kind));
/** The good members, in order (recovery may leave a piece of the broken one, such as a number read as a key). */
const assertKeysInclude = (members: readonly Member[], good: string[]) => {
  const keys = keysOf(members);
  assert.equal(keys.filter((k) => good.includes(k)), good, `keys: ${keys.join(", ")}`);
};

Recovery("a broken member in the middle: the members after it are in the AST", () => {
  const { result } = parseAndRender(byName.get("brokenMemberInMiddle")!, "b.lv");
  const exp = result.ast.declarations[0];
  assert.ok(exp?.kind === "ExperimentDecl");
  assert.equal(exp.members.map((m) => m.kind), ["TaskClause", "ModelClause", "RecipeClause", "DataClause"]);
  const recipe = exp.members[2];
  assert.ok(recipe?.kind === "RecipeClause");
  assertKeysInclude(recipe.members, ["init_lr", "min_lr", "max_epoch", "batch_size_train"]);
});

Recovery("two independent mistakes are both reported, at their own lines, and the good members survive", () => {
  const { result } = parseAndRender(byName.get("twoMistakes")!, "t.lv");
  const lines = result.diagnostics.map((d) => byName.get("twoMistakes")!.slice(0, d.span!.start).split("\n").length);
  assert.equal(lines, [5, 7]);
  const recipe = result.ast.declarations[0]?.kind === "ExperimentDecl" ? result.ast.declarations[0].members[0] : undefined;
  assert.ok(recipe?.kind === "RecipeClause");
  assertKeysInclude(recipe.members, ["init_lr", "max_len", "min_len", "num_beams"]);
});

Recovery("an unknown top-level word is skipped with its block; the next declaration parses", () => {
  const { result } = parseAndRender("experimnt a { task t }\nexperiment b { task t }\n", "u.lv");
  assert.is(result.diagnostics.length, 1);
  assert.is(result.diagnostics[0]!.hint, "Did you mean `experiment`?");
  assert.equal(result.ast.declarations.map((d) => d.name.name), ["b"]);
});

Recovery("a block left open before the next declaration: the declaration still parses as one", () => {
  const { result } = parseAndRender(byName.get("missingBraceBeforeDeclaration")!, "m.lv");
  assert.equal(result.ast.declarations.map((d) => d.name.name), ["first", "second"]);
});

Recovery("a misplaced import is still imported (the error asks to move it)", () => {
  const { result } = parseAndRender(byName.get("misplacedImport")!, "m.lv");
  assert.equal(result.ast.imports.map((i) => i.path.value), ["stdlib/recipe.lv", "stdlib/tasks.lv"]);
});

Recovery("stray tokens inside a block are skipped one by one", () => {
  const { result, rendered } = parseAndRender("schema S {\n  a = 1 )\n  b = 2\n  = 3\n  c = 4\n}\n", "s.lv");
  assert.is(result.diagnostics.length, 2, rendered);
  const s = result.ast.declarations[0];
  assert.ok(s?.kind === "SchemaDecl");
  assertKeysInclude(s.members, ["a", "b", "c"]);
});

Recovery.run();
