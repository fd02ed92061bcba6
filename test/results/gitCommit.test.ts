// The commit a result records: "+dirty" only when code or configs differ from HEAD, not because the results tools
// wrote an earlier project's result (results/, README.md's table) in the same run.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitCommit } from "../../src/results/runProject.js";

test("results/ and README.md do not make a checkout dirty; a changed source file does", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-gitcommit-"));
  const git = (...args: string[]) => spawnSync("git", ["-c", "user.email=t@example.org", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8" });
  git("init", "-q");
  mkdirSync(join(dir, "results"));
  writeFileSync(join(dir, "results", "a.json"), "{}\n");
  writeFileSync(join(dir, "README.md"), "table\n");
  writeFileSync(join(dir, "code.ts"), "1\n");
  git("add", ".");
  git("commit", "-qm", "init");
  const head = git("rev-parse", "HEAD").stdout.trim();
  writeFileSync(join(dir, "results", "a.json"), '{"r": 1}\n');
  writeFileSync(join(dir, "README.md"), "table, regenerated\n");
  assert.is(gitCommit(dir), head);
  writeFileSync(join(dir, "code.ts"), "2\n");
  assert.is(gitCommit(dir), `${head}+dirty`);
});

test.run();
