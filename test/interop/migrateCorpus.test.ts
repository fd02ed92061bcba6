// Every LAVIS corpus project that checks clean migrates to a `.lv` that checks clean, with the YAML's warnings, and
// resolves to the YAML's experiment (migrate writes LAVIS's value for each key the YAML left to LAVIS's code). `--minimal` on every fourth such file (it resolves the experiment once per value it tries
// to drop: all 385 files take ~9 s; by hand, 5 Dec 2026: all 385 pass).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { nodeHost } from "../../src/cli/host.js";
import { checkFile } from "../../src/index.js";
import { migrateFile } from "../../src/interop/migrateFile.js";
import { canonicalText } from "../../src/interop/configCompare.js";
import type { Diagnostic } from "../../src/diagnostics/index.js";
import { join } from "node:path";
import { corpusProjects, corpusRoot, overlayReader } from "./interopHarness.js";
import { LAVIS_CORPUS, testWith } from "../harness/requires.js";

const MINIMAL_EVERY = 4;
const warnings = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === "warning" && d.code !== "LV4019").map((d) => `${d.code} ${d.path}`).sort();

testWith(test, LAVIS_CORPUS)("clean corpus projects migrate to clean .lv files, with the same warnings but LV4019", () => {
  const host = nodeHost();
  let clean = 0;
  for (const file of corpusProjects()) {
    const yaml = checkFile(file, host);
    if (yaml.diagnostics.some((d) => d.severity === "error")) continue;
    for (const minimal of clean % MINIMAL_EVERY === 0 ? [false, true] : [false]) {
      const m = migrateFile(file, host, { minimal });
      const where = `${file}${minimal ? " (--minimal)" : ""}`;
      assert.equal(m.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`), [], `${where}: errors`);
      assert.equal(m.diagnostics.filter((d) => d.code === "LV4019").map((d) => d.path), [], `${where}: a key left to LAVIS's code`);
      assert.equal(warnings(m.diagnostics), warnings(yaml.diagnostics), `${where}: warnings`);
      assert.is(canonicalText(m.lvResolved!.root), canonicalText(yaml.resolved!.root), `${where}: experiment`);
    }
    clean++;
  }
  assert.ok(clean >= 380, `only ${clean} corpus projects check clean`);
});

testWith(test, LAVIS_CORPUS)("a default file whose `datasets:` is not a map migrates without throwing", () => {
  // Found by pipelineFuzz at 3,000 cases (seed 777123): a truncated line left `datasets: conceptual_capti`.
  const file = join(corpusRoot, "configs/datasets/conceptual_caption/defaults_3m.yaml");
  const host = nodeHost();
  for (const text of ["datasets:\n  conceptual_capti\n", "datasets:\n  - a\n", "datasets: 5\n"]) {
    const reader = overlayReader(host, new Map([[file, text]]));
    const m = migrateFile(file, reader);
    assert.ok(m.lv !== null, text);
  }
});

test.run();
