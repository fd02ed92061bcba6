// `lavisc fmt --check` passes on every file of stdlib/ and projects/: the generated stdlib files
// (tools/genStdlib.ts formats its output) and the hand-written ones are all in the canonical layout.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { repoRoot } from "../harness/repoRoot.js";

function lvFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? lvFiles(p) : n.endsWith(".lv") ? [p] : [];
  });
}

for (const folder of ["stdlib", "projects"]) {
  test(`lavisc fmt --check ${folder}/**.lv passes`, async () => {
    const files = lvFiles(join(repoRoot(), folder)).map((f) => relative(repoRoot(), f));
    assert.ok(files.length >= 5, `${folder} has .lv files`);
    const host = memoryHost({}, repoRoot());
    const code = await runCli(["fmt", "--check", ...files], host);
    assert.is(code, 0, host.out + host.err);
  });
}

test.run();
