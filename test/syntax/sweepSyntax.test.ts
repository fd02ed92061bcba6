// The sweep block in the AST: members in source order, ranges, zips, filter and limit; `sweep` stays usable as a key;
// the command line's `--sweep` values.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse, parseSweepValues } from "../../src/syntax/index.js";
import type * as A from "../../src/syntax/ast.js";

const sweepOf = (text: string): A.SweepClause => {
  const r = parse(text, "s.lv");
  assert.equal(r.diagnostics.map((d) => d.message), []);
  const e = r.ast.declarations[0] as A.ExperimentDecl;
  return e.members.find((m): m is A.SweepClause => m.kind === "SweepClause")!;
};

test("members keep their source order", () => {
  const s = sweepOf(`experiment e {\n  sweep {\n    limit 3\n    recipe.seed in [1, 2]\n    filter recipe.seed > 1\n    zip { recipe.a in [1]; recipe.b in [2] }\n    recipe.init_lr in log(1e-5, 1e-3, count = 3)\n  }\n}`);
  assert.equal(s.members.map((m) => m.kind), ["SweepLimit", "SweepAxis", "SweepFilter", "SweepZip", "SweepAxis"]);
  const range = (s.members[4] as A.SweepAxis).domain as A.SweepRange;
  assert.equal([range.kind, range.scale, (range.from as A.FloatLit).raw, (range.to as A.FloatLit).raw, (range.count as A.IntLit).value], ["SweepRange", "log", "1e-5", "1e-3", 3]);
  assert.equal((s.members[3] as A.SweepZip).axes.map((a) => a.key.segments.map((x) => x.name).join(".")), ["recipe.a", "recipe.b"]);
});

test("soft keywords: `sweep`, `zip`, `filter`, `limit`, `log` and `count` stay keys and names", () => {
  const r = parse(`experiment e {\n  recipe.sweep = 1\n  recipe { log = linear; count = 2; filter = 3 }\n  sweep {\n    datasets.x.filter in [log, linear]\n    recipe.limit in [1]\n  }\n}`, "s.lv");
  assert.equal(r.diagnostics.map((d) => d.message), []);
  const s = (r.ast.declarations[0] as A.ExperimentDecl).members[2] as A.SweepClause;
  assert.equal(s.members.map((m) => (m as A.SweepAxis).key.segments.map((x) => x.name).join(".")), ["datasets.x.filter", "recipe.limit"]);
});

test("--sweep values: commas (Hydra), or a range", () => {
  const list = parseSweepValues("1e-5,3e-5, 1e-4", "<--sweep #1>");
  assert.equal(list.diagnostics, []);
  assert.equal((list.domain as A.ListLit).items.map((i) => (i as A.FloatLit).raw), ["1e-5", "3e-5", "1e-4"]);
  const range = parseSweepValues("linear(16, 64, count = 4)", "<--sweep #1>");
  assert.is(range.domain.kind, "SweepRange");
  assert.equal(parseSweepValues("1,", "x").diagnostics.map((d) => d.message), ["Expected a value but found the end of the file."]);
});

test.run();
