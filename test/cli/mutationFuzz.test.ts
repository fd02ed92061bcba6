import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { nodeHost, type Host } from "../../src/cli/host.js";
import { seededPick, seededRandom } from "../harness/seededRandom.js";
import { seedConfigs } from "../harness/seedConfigs.js";

// Seeded line mutations of the repository's experiments (.lv) and LAVIS YAML cases, through the commands that read
// a config (check, plan, explain, export or migrate, check with a --set): whatever the mutation, the answer is 0 or 1
// with diagnostics (or 2 where the command line itself is wrong: a bad --set value, explain of a key the mutated file
// no longer has; src/cli/exitCodes.ts), never exit 3 (an internal error), a thrown error or a write. The parser's own fuzzing
// (test/syntax/fuzzParse.test.ts) mutates tokens; this one mutates values, keys and indentation, which reach the
// resolver and the rules (`model.arch: null` crashed the arch rule until it did).

const CASES = 240;
const SEED = 20261204;

/** Values of every kind a hand edit or a bad merge leaves behind, in both languages' spellings. */
const JUNK = ["", "null", "~", "[]", "{}", "-1", "0", "1e309", "nan", ".inf", '""', "'x'", "[1, [2, {a: 3}]]", "${run.init_lr}",
  "${nowhere}", "true", "0x1F", "99999999999999999999999", "{a: b, a: c}", "-", ":", "#", "arch(", "\u00e9", "blip_retrieval", "coco", "[train, val]"];

/** A line setting a key whose value is a registry name, with what follows the `:` or `=`. */
const NAME_KEY = /\b(arch|model_type|task|type|lr_sched|runner|name)(\s*[:=]).*$/;

function mutate(text: string, rnd: () => number): { text: string; how: string[] } {
  const pick = seededPick(rnd);
  const lines = text.split("\n");
  const how: string[] = [];
  for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
    const i = Math.floor(rnd() * lines.length);
    const line = lines[i] ?? "";
    switch (Math.floor(rnd() * 7)) {
      case 0:
        lines.splice(i, 1);
        how.push(`delete line ${i + 1}`);
        break;
      case 1: {
        const junk = pick(JUNK);
        lines[i] = line.replace(/([:=])\s*(.*)$/, (_, c: string) => `${c} ${junk}`);
        how.push(`line ${i + 1} value -> ${JSON.stringify(junk)}`);
        break;
      }
      case 2:
        lines[i] = " ".repeat(Math.floor(rnd() * 6)) + line.trimStart();
        how.push(`reindent line ${i + 1}`);
        break;
      case 3:
        lines[i] = line.replace(/[a-z_]+/, (w) => w.slice(0, -1) || "x");
        how.push(`shorten a name on line ${i + 1}`);
        break;
      case 4:
        lines.splice(i, 0, line);
        how.push(`duplicate line ${i + 1}`);
        break;
      case 5: {
        // The keys that name registry entries steer the resolver and the rules: the likeliest to reach a bad path.
        const named = lines.flatMap((l, j) => (NAME_KEY.test(l) ? [j] : []));
        if (!named.length) break;
        const j = pick(named);
        const junk = pick(JUNK);
        lines[j] = lines[j]!.replace(NAME_KEY, (_, key: string, c: string) => `${key}${c} ${junk}`);
        how.push(`line ${j + 1} name -> ${JSON.stringify(junk)}`);
        break;
      }
      default: {
        const from = Math.floor(rnd() * lines.length);
        lines.splice(i, 0, ...lines.slice(from, from + 3));
        how.push(`copy lines ${from + 1}-${from + 3} to ${i + 1}`);
      }
    }
  }
  return { text: lines.join("\n"), how };
}

function commandFor(file: string, rnd: () => number): string[] {
  const pick = seededPick(rnd);
  const convert = extname(file) === ".lv" ? "export" : "migrate";
  const set = pick(["recipe.init_lr", "recipe.max_epoch", "model.arch", "model.model_type", "recipe.batch_size_train", "recipe.k_test"]);
  return pick([["check", file], ["plan", file], ["explain", file, "run.init_lr"], [convert, file], ["check", file, "--set", `${set}=${pick(JUNK)}`]]);
}

/** lavisc `args` with `text` read in place of `file` (nothing written): the exit status, or what was thrown, and the output. */
async function runWithText(file: string, text: string, args: string[]): Promise<{ code: number | string; out: string }> {
  const base = nodeHost();
  let out = "";
  const host: Host = {
    ...base,
    isTTY: false,
    color: false,
    stdout: (t) => void (out += t),
    stderr: (t) => void (out += t),
    readFile: (p) => (p === file ? text : base.readFile(p)),
    writeFileAtomic: (p) => {
      throw new Error(`the command tried to write ${p}`);
    },
  };
  try {
    return { code: await runCli(args, host), out };
  } catch (e) {
    return { code: `threw ${e instanceof Error ? e.message : String(e)}`, out };
  }
}

test("every registry-name key of every seed set to a value of each other kind: check answers with diagnostics", async () => {
  const failures: string[] = [];
  let checked = 0;
  for (const file of seedConfigs()) {
    const lines = readFileSync(file, "utf8").split("\n");
    for (const [j, line] of lines.entries()) {
      if (!NAME_KEY.test(line)) continue;
      for (const junk of ["null", "0", "true", "[a]", "{a: 1}", '""']) {
        const text = [...lines.slice(0, j), line.replace(NAME_KEY, (_, key: string, c: string) => `${key}${c} ${junk}`), ...lines.slice(j + 1)].join("\n");
        const { code, out } = await runWithText(file, text, ["check", file]);
        checked++;
        if (code !== 0 && code !== 1) failures.push(`lavisc check ${file} with line ${j + 1} set to ${junk}: ${code}\n${out.slice(0, 300)}`);
      }
    }
  }
  assert.ok(checked > 100, `name keys checked: ${checked}`);
  assert.equal(failures, [], failures.join("\n\n"));
});

test(`${CASES} mutated experiments: every command answers with diagnostics, never an internal error, a throw or a write`, async () => {
  const files = seedConfigs();
  assert.ok(files.length >= 10, `seed files: ${files.length}`);
  const rnd = seededRandom(SEED);
  const failures: string[] = [];
  for (let n = 0; n < CASES; n++) {
    const file = seededPick(rnd)(files);
    const { text, how } = mutate(readFileSync(file, "utf8"), rnd);
    const args = commandFor(file, rnd);
    const { code, out } = await runWithText(file, text, args);
    const answers = args.includes("--set") || args[0] === "explain" ? [0, 1, 2] : [0, 1];
    if (!answers.includes(code as number)) failures.push(`case ${n}: lavisc ${args.join(" ")} after ${how.join(", ")}: ${code}\n${out.slice(0, 400)}`);
  }
  assert.equal(failures, [], failures.join("\n\n"));
});

test.run();
