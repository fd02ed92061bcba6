// A LAVIS YAML that leaves out a key of a `code_defaults` block takes LAVIS's value after the stdlib's default formulas
// are computed (src/semantic/codeFallbacks.ts, the last step of resolveExperiment). That is only sound while no default
// formula reads such a key (a formula would have read the documented value): this holds the stdlib to it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type * as A from "../../src/syntax/ast.js";
import { loadStdlib } from "../../src/project/stdlib.js";
import { CODE_DEFAULTS, type SchemaInfo } from "../../src/semantic/registry.js";

const reg = loadStdlib().registry;
const schemas: SchemaInfo[] = [...reg.schemas.values()];
for (const kind of Object.keys(reg.entries) as A.RegistryKind[]) for (const e of reg.entries[kind].values()) schemas.push(e.schema);

/** The names an expression reads: each reference's last segment (`recipe.evaluate` reads `evaluate`). */
function namesRead(e: A.Expr, out: Set<string>): Set<string> {
  if (e.kind === "Ref") out.add(e.path.at(-1)!.name);
  for (const v of Object.values(e)) {
    if (Array.isArray(v)) for (const x of v) if (x && typeof x === "object" && "kind" in x && "span" in x) namesRead(x as A.Expr, out);
    if (v && typeof v === "object" && "kind" in v && "span" in v && v !== e) namesRead(v as A.Expr, out);
  }
  return out;
}

test("no stdlib default formula reads a key that LAVIS's code falls back to differently (a code_defaults key)", () => {
  const fallbackKeys = new Set<string>();
  for (const s of schemas) {
    for (const m of s.blocks.get(CODE_DEFAULTS)?.members ?? []) if (m.kind === "Assignment") fallbackKeys.add(m.key.segments.at(-1)!.name);
  }
  assert.ok(fallbackKeys.has("test_splits") && fallbackKeys.has("max_len"), [...fallbackKeys].join(", "));
  const readers: string[] = [];
  for (const s of schemas) {
    for (const [key, f] of s.fields) {
      if (!f.default) continue;
      const read = [...namesRead(f.default, new Set())].filter((n) => fallbackKeys.has(n));
      if (read.length) readers.push(`${f.owner}.${key} reads ${read.join(", ")}`);
    }
  }
  assert.equal(readers, []);
});

test.run();
