import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { memoryHost } from "../../src/cli/host.js";
import { repoRoot } from "../harness/repoRoot.js";
import { seededPick, seededRandom } from "../harness/seededRandom.js";
import { cli, fixture } from "./forkHarness.js";

// Seeded mutations of the synthetic fork's Python and YAML files (lines deleted, cut, duplicated, or broken by an
// unbalanced bracket, a stray quote, a decorator, a non-ASCII character): `registry scan` reads whatever a
// repository holds, so it must answer 0 or 1 with a report and an extension that parses, and a check with that
// extension must answer too; never exit 3 (an internal error) or a throw. It found a processor name the extension
// wrote as `"x" { }`, which does not parse.

const CASES = 120;
const SEED = 4122026;
const JUNK = ["(", ")", '"', "'", '"""', "@registry.register_model(", '@registry.register_model("x")', '@registry.register_processor("")', "class A(", "}", "]", "\\", "#", "\u00e9", "    ", "def ", '{"a": ', "name: \"x y\"", ": :", "- -"];

function repositoryFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...repositoryFiles(p));
    else if (/\.(py|yaml)$/.test(e.name)) out.push(p);
  }
  return out;
}

function mutateLines(text: string, rnd: () => number): string {
  const pick = seededPick(rnd);
  const lines = text.split("\n");
  for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
    const i = Math.floor(rnd() * lines.length);
    const line = lines[i] ?? "";
    const at = Math.floor(rnd() * (line.length + 1));
    switch (Math.floor(rnd() * 5)) {
      case 0: lines.splice(i, 1); break;
      case 1: lines.splice(i, 0, pick(JUNK)); break;
      case 2: lines[i] = line.slice(0, at) + pick(JUNK) + line.slice(at); break;
      case 3: lines[i] = line.slice(0, at); break;
      default: lines.splice(i, 0, line);
    }
  }
  return lines.join("\n");
}

test(`${CASES} mutated fork repositories: registry scan and a check with its extension answer, never crash`, async () => {
  const repo = fixture("tinyfork");
  const files = repositoryFiles(repo);
  const project = join(repo, "train_configs", "train.yaml");
  const rnd = seededRandom(SEED);
  const failures: string[] = [];
  for (let n = 0; n < CASES; n++) {
    const changed: Record<string, string> = {};
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
      const f = seededPick(rnd)(files);
      changed[f] = mutateLines(changed[f] ?? readFileSync(f, "utf8"), rnd);
    }
    const where = Object.keys(changed).map((f) => f.slice(repo.length + 1)).join(", ");
    const h = memoryHost(changed, repoRoot());
    let scan: { code: number | string; out: string; err: string };
    try {
      scan = await cli(h, ["registry", "scan", repo, "--repository", "example.org/tinyfork", "--commit", "0"]);
    } catch (e) {
      scan = { code: `threw ${e instanceof Error ? e.message : String(e)}`, out: "", err: "" };
    }
    if (scan.code !== 0 && scan.code !== 1) {
      failures.push(`case ${n} (${where}): registry scan ${scan.code}\n${(scan.out + scan.err).slice(0, 300)}`);
      continue;
    }
    let check: { code: number | string; out: string; err: string };
    try {
      check = await cli(h, ["check", project]);
    } catch (e) {
      check = { code: `threw ${e instanceof Error ? e.message : String(e)}`, out: "", err: "" };
    }
    if (check.code !== 0 && check.code !== 1) failures.push(`case ${n} (${where}): check ${check.code}\n${(check.out + check.err).slice(0, 300)}`);
  }
  assert.equal(failures, [], failures.join("\n\n"));
});

test.run();
