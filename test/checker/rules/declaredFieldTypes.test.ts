import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadStdlib } from "../../../src/project/stdlib.js";
import { typeOf, type Type } from "../../../src/checker/types.js";
import type { SchemaInfo } from "../../../src/semantic/registry.js";
import { SCHEMAS } from "../../../src/semantic/resolve.js";
import { base, diagnose, edit } from "../harness.js";

// Every field the stdlib types as a number or a boolean, in the sections a user writes (the recipe, the model of the
// base experiment's arch, a dataset entry), is held to that type: a string there is LV3001 at the field. A gap of
// this kind (a section whose walk stops early) let `image_size = "abc"` through for processors.

const reg = loadStdlib().registry;
const scalarKind = (t: Type): string | null => {
  const inner = t.k === "nullable" ? t.inner : t;
  return inner.k === "int" || inner.k === "float" || inner.k === "bool" ? inner.k : null;
};
const typedFields = (schema: SchemaInfo | undefined) =>
  [...(schema?.fields ?? [])].filter(([, f]) => scalarKind(typeOf(f.type, reg)) !== null).map(([name]) => name);

const SECTIONS = [
  { section: "run", block: "recipe {", fields: typedFields(reg.schemas.get(SCHEMAS.recipe)) },
  { section: "model", block: "model blip_retrieval(coco) {", fields: [...new Set([...typedFields(reg.schemas.get(SCHEMAS.modelCommon)), ...typedFields(reg.archs.get("blip_retrieval")?.schema)])] },
  { section: "datasets.coco_retrieval", block: "data coco_retrieval {", fields: typedFields(reg.schemas.get(SCHEMAS.dataset)) },
];

test("the sections declare typed fields", () => {
  for (const s of SECTIONS) assert.ok(s.section === "datasets.coco_retrieval" || s.fields.length >= 5, `${s.section}: ${s.fields.length}`);
});

test("each numeric or boolean field: a string is LV3001 at that field", () => {
  const missed: string[] = [];
  for (const { section, block, fields } of SECTIONS) {
    for (const field of fields) {
      // A field the base experiment writes is replaced; any other is added to its block.
      const written = new RegExp(`\n(\\s+)${field} = [^\n]*`).exec(base);
      const src = written ? edit(written[0], `\n${written[1]}${field} = "abc"`) : edit(block, `${block}\n    ${field} = "abc"`);
      const path = `${section}.${field}`;
      if (!diagnose(src).diags.some((d) => d.code === "LV3001" && d.path === path)) missed.push(path);
    }
  }
  assert.equal(missed, []);
});

test.run();
