import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { createRequire } from "node:module";
import { readYaml } from "../../src/semantic/fromYaml.js";
import { toPlain } from "../../src/semantic/configTree.js";

// Small files whose work grows faster than their size (found by a fuzz hunt): each ends in a clear diagnostic and
// exit 1 within bounded work, never exit 3, a hang or a memory blow-up. The sizes would take minutes (or crash)
// without the budgets, and well under a second with them.

async function cli(argv: string[], dir: string): Promise<{ code: number; out: string; err: string }> {
  const h = memoryHost({}, dir);
  const code = await runCli(argv, h);
  return { code, out: h.out, err: h.err };
}

async function inDir(files: Record<string, string>, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-budget-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const codes = (out: string) => [...out.matchAll(/^error\[(LV\d+)\]/gm)].map((m) => m[1]);

/** `s0: <seed>`, then `sN: ${run.sN-1}${run.sN-1}`: each line doubles the text. */
function doublingYaml(levels: number, seed: string): string {
  const lines = ["run:", "  task: captioning", `  s0: ${seed}`];
  for (let i = 1; i <= levels; i++) lines.push(`  s${i}: \${run.s${i - 1}}\${run.s${i - 1}}`);
  return lines.join("\n") + "\n";
}

function doublingLv(levels: number, seed: string): string {
  const lines = ["experiment x {", "  task captioning", "  recipe {", `    s0 = "${seed}"`];
  for (let i = 1; i <= levels; i++) lines.push(`    s${i} = "\${s${i - 1}}\${s${i - 1}}"`);
  return [...lines, "  }", "}"].join("\n") + "\n";
}

const Strings = suite("budgets: an interpolated string");
Strings("doubling 25 times is LV1025 once, at the first string past 1,000,000 characters (was exit 3: Invalid string length)", async () => {
  await inDir({ "bomb.yaml": doublingYaml(25, "x".repeat(32)), "bomb.lv": doublingLv(25, "x".repeat(32)) }, async (dir) => {
    for (const file of ["bomb.yaml", "bomb.lv"]) {
      const r = await cli(["check", file], dir);
      assert.is(r.code, 1, r.err);
      assert.equal(codes(r.out).filter((c) => c === "LV1025"), ["LV1025"], r.out.slice(0, 3000));
      // 32 * 2^15 = 1,048,576: s15 is the first one past the budget.
      assert.match(r.out, new RegExp(`error\\[LV1025\\]: This interpolated string is longer than 1,000,000 characters\\.\\n\\s+--> ${file.replace(".", "\\.")}:${file.endsWith(".lv") ? 19 : 18}:`));
      for (const command of file.endsWith(".lv") ? ["explain"] : ["explain", "migrate"]) {
        const c = await cli([command, file], dir);
        assert.is(c.code, 1, `${command} ${file}: ${c.err.slice(0, 2000)}`);
        assert.not.match(c.err + c.out, /internal error/);
      }
    }
  });
});
Strings("a list of lists written into a string stops at the budget instead of writing 2^40 items", async () => {
  // OmegaConf writes a list into a string with its items as written (`['${run.l39}', ...]`, not resolved), so the
  // string stays short; the lists themselves still copy each other, 2^40 values, which the copy budget stops.
  const lines = ["run:", "  task: captioning", "  l0: [1, 2]"];
  for (let i = 1; i <= 40; i++) lines.push(`  l${i}: ['\${run.l${i - 1}}', '\${run.l${i - 1}}']`);
  lines.push("  text: 'all of it: ${run.l40}'");
  await inDir({ "lists.yaml": lines.join("\n") + "\n" }, async (dir) => {
    const r = await cli(["check", "lists.yaml"], dir);
    assert.is(r.code, 1);
    assert.match(r.out, /error\[LV1026\][^\n]*\n\s+--> lists\.yaml:\d+:/);
    assert.not.match(r.out, /internal error/);
  });
});
Strings("explain names at most 64 of the values a string is built from (2^19 without a bound)", async () => {
  await inDir({ "deps.yaml": doublingYaml(19, "x") }, async (dir) => {
    const r = await cli(["explain", "deps.yaml"], dir);
    assert.not.match(r.err, /internal error/);
    const s19 = r.out.split("\n").find((l) => /\bs19\b/.test(l)) ?? "";
    assert.ok(s19.includes("; ..."), s19.slice(0, 500));
    assert.ok(s19.length < 1_000_000 + 20_000, `${s19.length} characters`);
  });
});
Strings.run();

const Aliases = suite("budgets: YAML aliases are looked up in one walk of the document");
/** Counts the `yaml` package's own alias lookups, each a walk of the whole document (the same instance lavisc loads). */
async function countingResolve<T>(body: () => T | Promise<T>): Promise<{ result: T; walks: number }> {
  const proto = (createRequire(import.meta.url)("yaml") as typeof import("yaml")).Alias.prototype;
  const original = proto.resolve;
  let walks = 0;
  proto.resolve = function (this: typeof proto, ...args: Parameters<typeof original>) {
    walks++;
    return original.apply(this, args);
  };
  try {
    return { result: await body(), walks };
  } finally {
    proto.resolve = original;
  }
}
Aliases("an alias names the closest anchor of its name before it, also when the name is defined again", async () => {
  const text = "run:\n  a: &x 1\n  b: *x\n  c: [2, *x]\n  d: &x 3\n  e: *x\n  f: {<<: &m {k: 1}, g: *m}\n";
  const { result, walks } = await countingResolve(() => readYaml(text, "a.yaml"));
  assert.equal(result.diagnostics, []);
  assert.equal(toPlain(result.root!), { run: { a: 1, b: 1, c: [2, 1], d: 3, e: 3, f: { k: 1, g: { k: 1 } } } });
  assert.is(walks, 0);
});
Aliases("10,500 aliases and 300 chained merge keys: LV1014 without a walk of the document per alias (20,000 and 2,000 took 25 s and over 30 s)", async () => {
  const aliases = "run:\n  task: captioning\n  v: &a 1\n  l:\n" + "    - *a\n".repeat(10_500);
  const chain = ["m0: &m0 {a: 1}"];
  for (let i = 1; i < 300; i++) chain.push(`m${i}: &m${i}\n  <<: *m${i - 1}\n  k${i}: 1`);
  for (const [name, text] of [["aliases.yaml", aliases], ["mergechain.yaml", chain.join("\n") + "\n"]] as const) {
    const { result, walks } = await countingResolve(() => readYaml(text, name));
    assert.equal(result.diagnostics.map((d) => d.code), ["LV1014"], name);
    assert.is(walks, 0, name);
  }
});
Aliases("migrate copies what the aliases name, through the same lookup", async () => {
  const text = "run:\n  task: captioning\n  a: &x 1\n  b: *x\n  c: &x 2\n  d: *x\n  m: &m {p: 3}\n  n: {<<: *m, q: 4}\n";
  await inDir({ "a.yaml": text }, async (dir) => {
    const { result, walks } = await countingResolve(() => cli(["migrate", "a.yaml"], dir));
    assert.not.match(result.err, /internal error/);
    for (const line of ["b = 1", "d = 2", "p = 3", "q = 4"]) assert.ok(result.out.includes(line), `${line}\n${result.out}`);
    assert.is(walks, 0);
  });
});
Aliases.run();


const Copies = suite("budgets: interpolations that copy maps and lists");
/** `l0: {a: 1, b: 2}`, then `lN: {x: ${run.lN-1}, y: ${run.lN-1}}`: each level doubles the values. */
function doublingMaps(levels: number): string {
  const lines = ["run:", "  task: captioning", "  l0: {a: 1, b: 2}"];
  for (let i = 1; i <= levels; i++) lines.push(`  l${i}:`, `    x: \${run.l${i - 1}}`, `    y: \${run.l${i - 1}}`);
  return lines.join("\n") + "\n";
}
Copies("30 levels of maps copied twice is LV1026 once, at the copy past 100,000 values (23 levels took 9 s, 30 over 30 s)", async () => {
  await inDir({ "maps.yaml": doublingMaps(30) }, async (dir) => {
    const r = await cli(["check", "maps.yaml"], dir);
    assert.is(r.code, 1);
    assert.equal(codes(r.out).filter((c) => c === "LV1026"), ["LV1026"]);
    // l13 holds 2^14 - 2 copied values; the walk runs out inside l14's copies of it (lines 42 and 43 of the file).
    assert.match(r.out, /error\[LV1026\]: The `\$\{\.\.\.\}` interpolations of this experiment copy more than 100,000 values\.\n\s+--> maps\.yaml:4[0-9]:/);
    for (const command of ["explain", "migrate"]) {
      const c = await cli([command, "maps.yaml"], dir);
      assert.is(c.code, 1, `${command}: ${c.err.slice(0, 2000)}`);
      assert.not.match(c.err + c.out, /internal error/);
    }
  });
});
Copies("lists of quoted interpolations (node_bomb) are bounded the same way, explain included (over 30 s and 800 MB before)", async () => {
  const lines = ["run:", "  task: captioning", "  l0: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"];
  for (let i = 1; i <= 30; i++) lines.push(`  l${i}: ['\${run.l${i - 1}}', '\${run.l${i - 1}}']`);
  await inDir({ "lists.yaml": lines.join("\n") + "\n" }, async (dir) => {
    const c = await cli(["explain", "lists.yaml"], dir);
    assert.is(c.code, 1);
    assert.ok(c.out.length < 20_000_000, `${c.out.length} characters`);
    assert.equal(codes((await cli(["check", "lists.yaml"], dir)).out).filter((x) => x === "LV1026"), ["LV1026"]);
  });
});
Copies("a few copies are kept as OmegaConf makes them", async () => {
  await inDir({ "few.yaml": doublingMaps(3) }, async (dir) => {
    const r = await cli(["explain", "few.yaml", "--format", "json"], dir);
    assert.not.match(r.out + r.err, /LV1026/);
    assert.match(r.out, /"l3": \{\s*"x": \{\s*"x": \{\s*"x": \{\s*"a": 1,\s*"b": 2/);
  });
});
Copies.run();

const Ints = suite("budgets: huge int literals");
Ints("an int of more than 4,300 characters is LV1027 at the value, read as text (200,000 sexagesimal segments took over 60 s)", () => {
  const huge = { decimal: "1".repeat(4_301), hex: `0x${"f".repeat(1_000_000)}`, sexagesimal: `1${":59".repeat(200_000)}` };
  for (const [name, text] of Object.entries(huge)) {
    const r = readYaml(`run:\n  max_epoch: ${text}\n`, "a.yaml");
    assert.equal(r.diagnostics.map((d) => d.code), ["LV1027"], name);
    assert.match(r.diagnostics[0]!.message, /^This int \(`.{12}\.\.\.`\) is longer than 4,300 characters\.$/, name);
    assert.equal(r.diagnostics[0]!.span, { file: "a.yaml", start: 18, end: 18 + text.length }, name);
  }
});
Ints("4,300 digits are still read exactly, as Python's int() reads them", () => {
  const digits = "9".repeat(4_300);
  const r = readYaml(`run:\n  max_epoch: ${digits}\n`, "a.yaml");
  assert.equal(r.diagnostics, []);
  const n = (r.root as { entries: Map<string, { entries: Map<string, { exact?: string; value: unknown }> }> }).entries.get("run")!.entries.get("max_epoch")!;
  assert.is(n.exact, digits);
});
Ints.run();
