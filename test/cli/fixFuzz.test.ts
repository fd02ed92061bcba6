import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { seededPick, seededRandom } from "../harness/seededRandom.js";
import { seedConfigs } from "../harness/seedConfigs.js";

// Seeded mistakes of the kinds `check --fix` fixes (a misspelt key or name, a quoted number, a `lavisc: ignore`
// comment), mixed with line edits that leave other problems about, in the repository's experiments and LAVIS YAML
// cases: whatever the file, `--fix` answers 0 or 1 (never an internal error), leaves no more errors than it found,
// and a second `--fix` finds nothing more to fix (what it left, it left for a reason).

const CASES = 90;
const SEED = 20261205;
const CODES = ["LV4019", "LV4002", "LV2001", "LV3001", "LV9999"];

function mutate(text: string, yaml: boolean, rnd: () => number): { text: string; how: string[] } {
  const pick = seededPick(rnd);
  const lines = text.split("\n");
  const how: string[] = [];
  const keyed = lines.flatMap((l, i) => (yaml ? /^\s*\w+:/ : /^\s*\w+\s*=/).test(l) ? [i] : []);
  for (let k = 1 + Math.floor(rnd() * 3); k > 0 && keyed.length; k--) {
    const i = pick(keyed);
    const line = lines[i]!;
    switch (Math.floor(rnd() * 5)) {
      case 0: // a misspelt key: a letter dropped, doubled or two swapped
        lines[i] = line.replace(/\w+/, (w) => {
          const j = Math.floor(rnd() * w.length);
          return pick([w.slice(0, j) + w.slice(j + 1), w.slice(0, j) + w[j] + w.slice(j), w.slice(0, j) + (w[j + 1] ?? "") + w[j] + w.slice(j + 2)]) || "x";
        });
        how.push(`misspell the key on line ${i + 1}`);
        break;
      case 1: // a misspelt value (a name, most often)
        lines[i] = line.replace(/([:=]\s*)([a-z_]{3,})/, (_, c: string, w: string) => c + w.slice(0, -1));
        how.push(`misspell the value on line ${i + 1}`);
        break;
      case 2: // a number in quotes
        lines[i] = line.replace(/([:=]\s*)(-?\d[\d.e-]*)\s*$/, '$1"$2"');
        how.push(`quote the number on line ${i + 1}`);
        break;
      case 3: // a `lavisc: ignore` comment, used or not
        lines[i] = `${line}  ${yaml ? "#" : "//"} lavisc: ${pick(["ignore", "ignore-file"])}[${pick(CODES)}${rnd() < 0.3 ? `, ${pick(CODES)}` : ""}]`;
        how.push(`a lavisc: ignore comment on line ${i + 1}`);
        break;
      default: // another problem about: a line copied
        lines.splice(i, 0, line);
        how.push(`duplicate line ${i + 1}`);
    }
  }
  return { text: lines.join("\n"), how };
}

async function run(name: string, text: string, args: string[]): Promise<{ code: number; out: string; text: string }> {
  const h = memoryHost({ [`/p/${name}`]: text }, "/p");
  const code = await runCli(["check", name, "--format", "json", ...args], h);
  return { code, out: h.out, text: h.files.get(`/p/${name}`)! };
}

const errorsIn = (out: string) => (JSON.parse(out) as { errors: number }).errors;

test("--fix on seeded mistakes: exit 0 or 1, no more errors than before, and nothing more to fix the second time", async () => {
  const rnd = seededRandom(SEED);
  const pick = seededPick(rnd);
  const seeds = seedConfigs();
  const failures: string[] = [];
  let fixedSome = 0;
  for (let n = 0; n < CASES; n++) {
    const file = pick(seeds);
    const name = basename(file);
    const { text, how } = mutate(readFileSync(file, "utf8"), name.endsWith(".yaml"), rnd);
    const where = `case ${n}: ${name} after ${how.join(", ")}`;
    const before = await run(name, text, []);
    const first = await run(name, text, ["--fix"]);
    if (first.code !== 0 && first.code !== 1) { failures.push(`${where}: --fix exit ${first.code}\n${first.out.slice(0, 300)}`); continue; }
    const fixes = (JSON.parse(first.out) as { fixed: unknown[] }).fixed.length;
    if (fixes) fixedSome++;
    if (errorsIn(first.out) > errorsIn(before.out)) failures.push(`${where}: ${errorsIn(before.out)} errors before --fix, ${errorsIn(first.out)} after`);
    const second = await run(name, first.text, ["--fix"]);
    const again = (JSON.parse(second.out) as { fixed: { title: string }[] }).fixed;
    if (again.length) failures.push(`${where}: the second --fix fixed ${again.map((f) => f.title).join("; ")}`);
  }
  assert.equal(failures, [], failures.join("\n\n"));
  assert.ok(fixedSome >= CASES / 4, `cases with a fix: ${fixedSome} of ${CASES}`);
});

test.run();
