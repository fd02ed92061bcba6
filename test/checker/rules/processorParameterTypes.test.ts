import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadStdlib } from "../../../src/project/stdlib.js";
import { typeOf } from "../../../src/checker/types.js";
import { diagnose, edit } from "../harness.js";

// Every parameter the stdlib types as a number, of every processor it declares, is held to that type where a user
// writes it: a string there is LV3001 at the parameter. (The value-type walk once stopped at the processor slot.)

const reg = loadStdlib().registry;
const numeric = [...reg.processors.values()].flatMap((p) =>
  [...p.schema.fields].flatMap(([param, f]) => {
    const t = typeOf(f.type, reg);
    const inner = t.k === "nullable" ? t.inner : t;
    return inner.k === "int" || inner.k === "float" ? [{ processor: p.name, param }] : [];
  }),
);

test("the stdlib declares numeric processor parameters", () => assert.ok(numeric.length >= 20, String(numeric.length)));

test("each numeric parameter of each processor: a string is LV3001 at that parameter", () => {
  const missed: string[] = [];
  for (const { processor, param } of numeric) {
    const src = edit("vis_processor.train = blip_image_train { image_size = 384 }", `vis_processor.train = ${processor} { ${param} = "abc" }`);
    const path = `datasets.coco_retrieval.vis_processor.train.${param}`;
    const found = diagnose(src).diags.some((d) => d.code === "LV3001" && d.path === path);
    if (!found) missed.push(`${processor}.${param}`);
  }
  assert.equal(missed, []);
});

test.run();
