import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, statSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { checkFile } from "../../src/index.js";
import { checkSweep } from "../../src/sweep/checkSweep.js";
import { nodeHost } from "../../src/cli/host.js";
import { parse } from "../../src/syntax/index.js";
import { format } from "../../src/format/index.js";
import { repoRoot } from "../harness/repoRoot.js";

function lvFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? lvFiles(p) : n.endsWith(".lv") ? [p] : [];
  });
}

const t = suite("projects/: every experiment checks clean and is formatted");
const files = lvFiles(join(repoRoot(), "projects"));
t("there are projects", () => assert.ok(files.length >= 4));
for (const f of files) {
  const rel = relative(repoRoot(), f);
  t(`${rel} has no diagnostics`, () => {
    const r = checkFile(f, nodeHost());
    // A file with a sweep: every trial checks clean.
    const diagnostics = r.loaded.input?.sweep ? checkSweep(f, nodeHost()).diagnostics : r.diagnostics;
    assert.equal(diagnostics.map((d) => `${d.code} ${d.path}: ${d.message}`), []);
  });
  t(`${rel} is in lavisc fmt form`, () => {
    const text = readFileSync(f, "utf8");
    assert.fixture(format(parse(text, f).ast, text), text);
  });
}
t.run();
