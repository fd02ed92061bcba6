import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// requires.ts in a child process: a missing dependency is uvu's skip, never a pass; under CI a dependency `.ci/run`
// installs is a failure instead; one that CI never has (the ../shared corpus) stays a skip.

// The child lives beside the compiled harness so that it resolves `uvu` from the package's node_modules.
const here = dirname(fileURLToPath(import.meta.url));
const harness = pathToFileURL(join(here, "requires.js")).href;
const dir = mkdtempSync(join(here, ".requires-child-"));

function runChild(installedByCi: boolean, ci: string | undefined): { status: number | null; out: string } {
  const file = join(dir, `child-${installedByCi}-${ci}.mjs`);
  writeFileSync(file, `import { test } from "uvu";
import { requirement, testWith } from ${JSON.stringify(harness)};
const GONE = requirement("a package", ${installedByCi}, () => "a package is not installed (apt-get install a-package)");
const HERE = requirement("another package", true, () => null);
testWith(test, GONE)("needs the missing package", () => { throw new Error("must not run"); });
testWith(test, HERE)("needs the present package", () => {});
test.run();
`);
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0" };
  delete env["CI"];
  if (ci !== undefined) env["CI"] = ci;
  const r = spawnSync(process.execPath, [file], { encoding: "utf8", env });
  return { status: r.status, out: r.stdout + r.stderr };
}

const count = (out: string, what: string) => Number(new RegExp(`${what}:\\s+(\\d+)`).exec(out)?.[1]);

test("a missing dependency is a skip with its reason, and the test body never runs", () => {
  const r = runChild(true, undefined);
  assert.is(r.status, 0, r.out);
  assert.equal([count(r.out, "Total"), count(r.out, "Passed"), count(r.out, "Skipped")], [1, 1, 1], r.out);
  assert.match(r.out, /^SKIP: needs the missing package: a package is not installed \(apt-get install a-package\)$/m);
});

test("under CI=true a dependency .ci/run installs fails the test", () => {
  const r = runChild(true, "true");
  assert.is(r.status, 1, r.out);
  assert.equal([count(r.out, "Total"), count(r.out, "Passed"), count(r.out, "Skipped")], [2, 1, 0], r.out);
  assert.match(r.out, /\.ci\/run installs a package, so under CI its absence is a failure/);
});

test("under CI=true a dependency CI never has (the ../shared corpus) stays a skip", () => {
  const r = runChild(false, "true");
  assert.is(r.status, 0, r.out);
  assert.is(count(r.out, "Skipped"), 1, r.out);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
