import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fromRoot } from "../harness/repoRoot.js";
import { compareBaseline } from "../harness/compareBaseline.js";
import { nodeHost } from "../../src/cli/host.js";
import { checkFile } from "../../src/index.js";
import { parse } from "../../src/syntax/index.js";
import { format } from "../../src/format/index.js";
import { canonicalText } from "../../src/interop/configCompare.js";
import { migrateFile } from "../../src/interop/migrateFile.js";
import { overlayReader } from "./interopHarness.js";

// Golden `.lv` for each YAML in test/cases/interop (five LAVIS corpus files, BSD-3, and a hand-written one), plain and
// --minimal, and the properties every migration must have: canonical layout, same resolved experiment, no comment lost.

const casesDir = fromRoot("test", "cases", "interop");
const cases = readdirSync(casesDir).filter((f) => f.endsWith(".yaml")).sort();
const host = nodeHost();

for (const file of cases) {
  const yamlPath = join(casesDir, file);
  const name = basename(file, ".yaml");
  for (const minimal of [false, true]) {
    test(`migrate${minimal ? " --minimal" : ""} ${file}`, () => {
      const lvPath = join(casesDir, `${name}.lv`);
      const r = migrateFile(yamlPath, host, { minimal }, lvPath);
      assert.ok(r.lv !== null, "migrated");
      const lv = r.lv!;
      compareBaseline(`test/baselines/interop/${name}${minimal ? ".min" : ""}.lv`, lv);

      const reparsed = parse(lv, lvPath);
      assert.equal(reparsed.diagnostics.filter((d) => d.severity === "error"), [], "the output parses");
      assert.is(format(reparsed.ast, lv), lv, "the output is already in fmt form");

      const fromYaml = checkFile(yamlPath, host);
      const fromLv = checkFile(lvPath, overlayReader(host, new Map([[lvPath, lv]])));
      assert.ok(fromYaml.resolved && fromLv.resolved);
      assert.is(canonicalText(fromLv.resolved!.root), canonicalText(fromYaml.resolved!.root), "resolves to the same experiment");
      assert.equal(fromLv.diagnostics.filter((d) => d.code === "LV4019"), [], "no key left to LAVIS's code fallback");
      const errors = (ds: readonly { severity: string; code: string }[]) => ds.filter((d) => d.severity === "error").map((d) => d.code).sort();
      assert.equal(errors(fromLv.diagnostics), errors(fromYaml.diagnostics), "the same errors as the YAML");

      if (!minimal) {
        // Every YAML comment line survives as a `//` comment.
        const yamlComments = host.readFile(yamlPath).split("\n").map((l) => /(?:^|\s)#(.*)$/.exec(l)?.[1]?.trim()).filter((c): c is string => !!c);
        for (const c of yamlComments) assert.ok(lv.includes(`//`) && lv.includes(c), `comment kept: ${c}`);
      }
    });
  }
}

test("--minimal keeps fewer values and never the ones that differ from their default", () => {
  const yamlPath = join(casesDir, "blip_caption_coco_ft.yaml");
  const full = migrateFile(yamlPath, host, {}, "/virtual/full.lv").lv!;
  const min = migrateFile(yamlPath, host, { minimal: true }, "/virtual/min.lv").lv!;
  assert.ok(min.length < full.length);
  assert.match(full, /weight_decay = 0\.05/);
  assert.not.match(min, /weight_decay/, "0.05 is the Recipe default");
  assert.match(min, /load_finetuned = false/, "the model default file says true");
  assert.match(min, /init_lr = 1e-5/, "init_lr has no default");
});

test("a comment on lines after a block list is written once, after its items (it was also put on the key's line)", () => {
  const yamlPath = "/virtual/lists.yaml";
  const yaml = [
    "run:", "  train_splits:", "    - train # item", "    # after", "  valid_splits: [\"val\"] # flow", "  test_splits:", "    - test",
    "    # after simple", "  seed: 1", "",
  ].join("\n");
  const lv = migrateFile(yamlPath, overlayReader(host, new Map([[yamlPath, yaml]])), {}, "/virtual/lists.lv").lv!;
  for (const c of ["item", "after", "flow", "after simple"]) assert.is(lv.split(`// ${c}\n`).length - 1, 1, `once: ${c}\n${lv}`);
  assert.match(lv, /"train", \/\/ item\n\s*\/\/ after\n\s*\]/);
  assert.match(lv, /valid_splits = \["val"\] \/\/ flow\n/);
  assert.match(lv, /test_splits = \["test"\]\n\s*\/\/ after simple\n/);
});

test.run();
