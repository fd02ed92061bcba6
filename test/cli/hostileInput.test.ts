import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { readYaml } from "../../src/semantic/fromYaml.js";
import { getPath, toPlain, type CNode, type CScalar } from "../../src/semantic/configTree.js";
import { pythonFloat } from "../../src/semantic/valueText.js";
import { fromRoot } from "../harness/repoRoot.js";
import { OMEGACONF, PYTHON, testWith } from "../harness/requires.js";

// Hostile input (issue 18, section 5): every command ends in a clear diagnostic and exit 1, or reads the file exactly
// as OmegaConf does and exits 0; never exit 3 (an internal error), a hang or a memory blow-up. The small cases live
// in test/cases/hostile; the huge and deep ones are generated here.

const CASES = fromRoot("test", "cases", "hostile");
const LV_COMMANDS = ["check", "explain", "fmt", "graph", "plan", "export"] as const;
const YAML_COMMANDS = ["check", "explain", "graph", "plan", "export", "migrate"] as const;

async function cli(argv: string[], dir = CASES): Promise<{ code: number; out: string; err: string }> {
  const h = memoryHost({}, dir);
  const code = await runCli(argv, h);
  return { code, out: h.out, err: h.err };
}

/** Runs every command on `file`: none may crash; `check` must report `code` (and exit `exit`). */
async function everyCommand(file: string, code: string | null, exit: number, dir = CASES): Promise<void> {
  const commands = file.endsWith(".lv") ? LV_COMMANDS : YAML_COMMANDS;
  for (const c of commands) {
    const r = await cli([c, file], dir);
    assert.ok(r.code === 0 || r.code === 1, `${c} ${file}: exit ${r.code}\n${r.err.slice(0, 2000)}`);
    assert.not.match(r.err + r.out, /internal error|Maximum call stack/, `${c} ${file}`);
    // explain shows what resolves and refers to `check` for the errors; every other command prints them.
    const reported = c === "explain" && /\d+ errors?; run `lavisc check/.test(r.err) ? null : new RegExp(`(error|warning)\\[${code}\\]`);
    // fmt lays out text: it reports what stops it (syntax, nesting, an empty file), not the checker's findings.
    const fmtSkips = c === "fmt" && code !== null && code >= "LV2000" && code !== "LV2032";
    if (code && c !== "migrate" && reported && !fmtSkips) assert.match(r.err + r.out, reported, `${c} ${file} reports ${code}`);
  }
  const r = await cli(["check", file], dir);
  assert.is(r.code, exit, `check ${file}\n${r.out}`);
}

const scalarAt = (root: CNode | null, path: string): CScalar => {
  const n = getPath(root ?? undefined, path.split("."));
  assert.ok(n && n.kind === "scalar", `${path} is a scalar`);
  return n as CScalar;
};

/** A value as Python's repr writes it, with its type: what the OmegaConf side prints for comparison. */
const pyRepr = (n: CScalar): [string, string] => {
  switch (n.type) {
    case "float": return ["float", pythonFloat(n.value as number)];
    case "int": return ["int", n.exact ?? String(n.value)];
    case "bool": return ["bool", n.value ? "True" : "False"];
    case "null": return ["NoneType", "None"];
    default: return ["str", `'${String(n.value)}'`];
  }
};

/** OmegaConf.load of `file`: every leaf under `run` as [type, repr]. */
function omegaConfLeaves(file: string): Record<string, [string, string]> {
  const script = `
import json, sys
from omegaconf import OmegaConf
out = {}
def walk(prefix, v):
    if isinstance(v, dict):
        for k, x in v.items(): walk(prefix + [str(k)], x)
    elif isinstance(v, list):
        for i, x in enumerate(v): walk(prefix + [str(i)], x)
    else:
        out[".".join(prefix)] = [type(v).__name__, repr(v)]
walk(["run"], OmegaConf.to_container(OmegaConf.load(sys.argv[1]))["run"])
print(json.dumps(out))
`;
  const r = spawnSync(PYTHON, ["-c", script, file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Record<string, [string, string]>;
}

function lavisLeaves(file: string, text: string): Record<string, [string, string]> {
  const r = readYaml(text, file);
  const out: Record<string, [string, string]> = {};
  const walk = (n: CNode, path: string[]) => {
    if (n.kind === "map") for (const [k, v] of n.entries) walk(v, [...path, k]);
    else if (n.kind === "list") n.items.forEach((v, i) => walk(v, [...path, String(i)]));
    else if (n.kind === "scalar") out[path.join(".")] = pyRepr(n);
  };
  walk(getPath(r.root!, ["run"])!, ["run"]);
  return out;
}

const readCase = (name: string) => memoryHost({}, CASES).readFile(join(CASES, name));

// --- generated: deep, huge and exploding inputs ------------------------------------------------------------------

const Deep = suite("hostile: deep nesting is LV1013 in every command, never a stack overflow");
const quickstart = readCase("crlf.lv").replace(/\r\n/g, "\n");
const withValue = (value: string) => quickstart.replace("  recipe {\n", `  recipe {\n    seed = ${value}\n`);
const deepLv: Record<string, string> = {
  "braces": withValue(`${"{ a = ".repeat(10_000)}1${" }".repeat(10_000)}`),
  "lists": withValue(`${"[".repeat(10_000)}1${"]".repeat(10_000)}`),
  "parens": withValue(`${"(".repeat(10_000)}1${")".repeat(10_000)}`),
  "minus signs": withValue(`${"- ".repeat(10_000)}1`),
  "not": withValue(`${"not ".repeat(10_000)}true`),
  "an operator chain": withValue(`1${" + 1".repeat(10_000)}`),
  "an if chain": withValue(`${"if true then 1 else ".repeat(3_000)}2`),
  "interpolations in a block": quickstart.replace("  recipe {\n", `  recipe {\n    ${"x { ".repeat(10_000)}${"} ".repeat(10_000)}\n`),
};
for (const [what, text] of Object.entries(deepLv)) {
  Deep(`.lv: ${what}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "lavisc-deep-"));
    try {
      writeFileSync(join(dir, "deep.lv"), text);
      await everyCommand("deep.lv", "LV1013", 1, dir);
      const set = await cli(["check", "deep.lv", "--set", `recipe.seed=${"[".repeat(10_000)}1${"]".repeat(10_000)}`], dir);
      assert.match(set.out, /LV1013/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
Deep("YAML: 10,000 nested flow lists and 3,000 nested block maps", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-deep-"));
  try {
    writeFileSync(join(dir, "flow.yaml"), `run:\n  seed: ${"[".repeat(10_000)}1${"]".repeat(10_000)}\n`);
    writeFileSync(join(dir, "block.yaml"), Array.from({ length: 3_000 }, (_, i) => `${" ".repeat(i)}k:\n`).join(""));
    writeFileSync(join(dir, "just_too_deep.yaml"), Array.from({ length: 64 }, (_, i) => `${" ".repeat(i)}k:\n`).join("") + `${" ".repeat(64)}v: 1\n`);
    for (const f of ["flow.yaml", "block.yaml", "just_too_deep.yaml"]) await everyCommand(f, "LV1013", 1, dir);
    const options = await cli(["check", "flow.yaml", "--options", `run.seed=${"[".repeat(10_000)}1${"]".repeat(10_000)}`], dir);
    assert.match(options.out, /LV1013/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
Deep.run();

const Bomb = suite("hostile: YAML alias expansion is bounded");
const laughs = ["run:", '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
for (let i = 1; i < 9; i++) laughs.push(`  ${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(9).fill(`*${"abcdefghi"[i - 1]}`).join(", ")}]`);
const bomb = laughs.join("\n") + "\n";
Bomb("a billion laughs is refused with LV1014 at the alias that crosses the budget", () => {
  const r = readYaml(bomb, "bomb.yaml");
  assert.is(r.root, null);
  assert.equal(r.diagnostics.map((d) => d.code), ["LV1014"]);
  assert.ok(r.diagnostics[0]!.span, "located");
});
Bomb("`lavisc check` refuses it inside a 150 MB heap (no blow-up), and migrate writes nothing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-bomb-"));
  try {
    writeFileSync(join(dir, "bomb.yaml"), bomb);
    const r = spawnSync(process.execPath, ["--max-old-space-size=150", fromRoot("bin", "lavisc.cjs"), "check", "bomb.yaml"], { cwd: dir, encoding: "utf8" });
    assert.is(r.status, 1, r.stderr);
    assert.match(r.stdout, /error\[LV1014\]: The YAML aliases of this file expand to more than 10,000 values/);
    const m = await cli(["migrate", "bomb.yaml"], dir);
    assert.is(m.code, 1);
    assert.match(m.err, /LV1014/);
    assert.is(m.out, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
Bomb("a few aliases are copied as OmegaConf does", () => {
  const r = readYaml("base: &b {x: 1, y: [1, 2]}\nrun:\n  one: *b\n  two: *b\n", "a.yaml");
  assert.equal(toPlain(r.root!), { base: { x: 1, y: [1, 2] }, run: { one: { x: 1, y: [1, 2] }, two: { x: 1, y: [1, 2] } } });
});
Bomb("an alias of an ancestor (a recursive value) is LV1013, not a hang", () => {
  const r = readYaml("run:\n  a: &a\n    b: *a\n", "a.yaml");
  assert.ok(r.diagnostics.some((d) => d.code === "LV1013"), r.diagnostics.map((d) => d.message).join("\n"));
});
Bomb("an interpolation of a map enclosing it (`run.init_lr.x=${run.init_lr}`) is LV2015, not a stack overflow", async () => {
  // Found by fuzzing --set: the map was copied into itself at every resolution.
  for (const set of ["run.init_lr.x=${run.init_lr}", "recipe.init_lr.x.y=${run.init_lr}"]) {
    const r = await cli(["check", "crlf.lv", "--set", set]);
    assert.ok(r.code === 1 || r.code === 2, `${set}: exit ${r.code}\n${r.err}`);
    assert.match(r.out + r.err, /error\[LV2015\]: The reference `\$\{run\.init_lr\}` is circular/, set);
  }
  const yaml = "model:\n  arch: blip_retrieval\n  model_type: coco\nrun:\n  task: retrieval\n  init_lr:\n    x: ${run.init_lr}\n";
  const h = memoryHost({ "/virtual/loop.yaml": yaml }, CASES);
  assert.is(await runCli(["check", "/virtual/loop.yaml"], h), 1, h.err + h.out);
  assert.match(h.out + h.err, /LV2015/);
});
Bomb.run();

const Large = suite("hostile: a 5 MB YAML");
Large("`migrate` translates it inside a 256 MB heap, `check` inside 150 MB (the budget is 400 MB of RSS)", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-large-"));
  try {
    // The shape of bench/largeYaml.ts: a caption config whose train annotations list 35,000 urls and storage paths.
    const base = readFileSync(fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml"), "utf8");
    const shard = (i: number) => `coco_karpathy_train_${String(i).padStart(7, "0")}.json`;
    const list = (f: (i: number) => string) => Array.from({ length: 35_000 }, (_, i) => `          - "${f(i)}"\n`).join("");
    const yaml = base.replace("  coco_caption: # name of the dataset builder\n", `  coco_caption: # name of the dataset builder\n    build_info:\n      annotations:\n        train:\n          url:\n${list((i) => `https://storage.example.com/shards/${shard(i)}`)}          storage:\n${list((i) => `coco/annotations/shards/${shard(i)}`)}`);
    assert.ok(yaml.length > 5e6, `${yaml.length} bytes`);
    writeFileSync(join(dir, "large.yaml"), yaml);
    const run = (heapMb: number, ...args: string[]) => spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, fromRoot("bin", "lavisc.cjs"), ...args], { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20 });
    const check = run(150, "check", "large.yaml");
    assert.is(check.status, 0, check.stderr.slice(-2000));
    const migrate = run(256, "migrate", "large.yaml", "-o", "large.lv");
    assert.is(migrate.status, 0, migrate.stderr.slice(-2000));
    assert.ok(existsSync(join(dir, "large.lv")));
    assert.match(readFileSync(join(dir, "large.lv"), "utf8"), /coco_karpathy_train_0034999\.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
Large.run();

// --- read as OmegaConf reads -------------------------------------------------------------------------------------

const Read = suite("hostile: read exactly as OmegaConf reads");
const MERGED = {
  one: { a: 1, b: 3 },
  list: { b: 2, c: 30, a: 1, z: 0 },
  reversed: { a: 9, b: 20, c: 30 },
  inline: { p: 1, q: 3 },
  twice: { a: 1, b: 20, c: 30 },
  deep: { a: 1, b: 2, d: 4, "<<": "literal" },
  self: { a: 1, b: 2 },
};
Read("merge keys: PyYAML's flattening, key order included", () => {
  const r = readYaml(readCase("merge_keys.yaml"), "merge_keys.yaml");
  assert.equal(r.diagnostics, []);
  const run = toPlain(getPath(r.root!, ["run"])) as Record<string, Record<string, unknown>>;
  assert.equal(run, MERGED);
  for (const [k, v] of Object.entries(MERGED)) assert.equal(Object.keys(run[k]!), Object.keys(v), `${k}: key order`);
});
Read("a merge key with a scalar is LV1016, as OmegaConf's loader refuses it", async () => {
  const r = await cli(["check", "merge_key_scalar.yaml"]);
  assert.is(r.code, 1);
  assert.match(r.out, /error\[LV1016\]: A YAML merge key \(`<<`\) takes a mapping or a list of mappings, not a scalar\.\n --> merge_key_scalar\.yaml:4:9/);
});
Read("numbers: 1e400, .inf, .nan, big ints, -0", () => {
  const leaves = lavisLeaves("numbers.yaml", readCase("numbers.yaml"));
  assert.equal(leaves, {
    "run.overflow": ["float", "inf"], "run.underflow": ["float", "0.0"], "run.inf": ["float", "inf"], "run.minus_inf": ["float", "-inf"],
    "run.nan": ["float", "nan"], "run.big": ["int", "123456789012345678901234567890"], "run.past_2_53": ["int", "9007199254740993"],
    "run.minus_zero": ["int", "0"], "run.minus_zero_float": ["float", "-0.0"], "run.many_digits": ["float", "0.1"], "run.hex": ["int", "31"],
    "run.octal": ["int", "15"], "run.sexagesimal": ["int", "90"], "run.underscores": ["int", "1000"], "run.exponent": ["float", "6.02e+23"],
    "run.integral_float": ["float", "1.0"],
  });
});
Read("standard tags: as OmegaConf's loader constructs them", () => {
  const leaves = lavisLeaves("tags_standard.yaml", readCase("tags_standard.yaml"));
  assert.equal(leaves, {
    "run.as_str": ["str", "'1'"], "run.as_int": ["int", "3"], "run.hex_int": ["int", "31"], "run.as_float": ["float", "1.0"],
    "run.quoted_float": ["float", "2.5"], "run.as_bool": ["bool", "True"], "run.as_null": ["NoneType", "None"], "run.as_map.a": ["int", "1"],
    "run.as_seq.0": ["int", "1"], "run.as_seq.1": ["int", "2"], "run.non_specific": ["int", "12"],
  });
});
const withOmegaConf = testWith(Read, OMEGACONF);
for (const f of ["merge_keys.yaml", "numbers.yaml", "tags_standard.yaml"]) {
  withOmegaConf(`${f}: the real OmegaConf agrees, value for value and type for type`, () => {
    assert.equal(lavisLeaves(f, readCase(f)), omegaConfLeaves(join(CASES, f)));
  });
}
withOmegaConf("the refused tags are refused by the real OmegaConf too", () => {
  const r = spawnSync(PYTHON, ["-c", "import sys\nfrom omegaconf import OmegaConf\nOmegaConf.load(sys.argv[1])", join(CASES, "tag_python.yaml")], { encoding: "utf8" });
  assert.is(r.status, 1);
  assert.match(r.stderr, /ConstructorError/);
});
Read.run();

// --- every command, the cases of test/cases/hostile ---------------------------------------------------------------

const Cases = suite("hostile: the cases of test/cases/hostile in every command");
const EXPECTED: [file: string, code: string | null, exit: number, message?: RegExp][] = [
  ["bom.lv", null, 0],
  ["crlf.lv", null, 0],
  ["empty.lv", "LV2032", 1, /`empty\.lv` is empty: it declares no experiment\.\n --> empty\.lv:1:1/],
  ["import_self.lv", "LV2034", 1, /Import cycle: import_self\.lv → import_self\.lv\./],
  ["import_cycle_a.lv", "LV2034", 1, /Import cycle: import_cycle_a\.lv → import_cycle_b\.lv → import_cycle_a\.lv\.\n --> import_cycle_b\.lv:1:8/],
  ["extends_cycle_a.lv", "LV2035", 1, /`extends` cycle: extends_cycle_a \(extends_cycle_a\.lv\) → extends_cycle_b \(extends_cycle_b\.lv\) → extends_cycle_a \(extends_cycle_a\.lv\)\./],
  ["extends_self.lv", "LV2035", 1, /`extends` cycle: extends_self → extends_self\./],
  ["dangling.lv", "LV2012", 1, /Cannot resolve the reference `\$\{recipe\.no_such_key\}`[\s\S]*`run\.no_such_key` is not a key of the experiment/],
  ["dangling.yaml", "LV2012", 1, /Cannot resolve the reference `\$\{run\.no_such_key\}`\.\n  --> dangling\.yaml:11:12/],
  ["misspelled_dotted.lv", "LV2001", 1, /Unknown key `text_proor` in dataset `shapes_caption`\.\n  --> misspelled_dotted\.lv:\d+:5[\s\S]*Did you mean `text_processor`\?/],
  ["infinite_init_lr.lv", "LV3002", 1, /`run\.init_lr` must be a finite number > 0 but is inf\./],
  ["infinite_init_lr.yaml", "LV3002", 1, /`run\.init_lr` must be a finite number > 0 but is inf\.[\s\S]*`run\.warmup_lr` must be a finite number >= 0 but is nan\./],
  ["tag_python.yaml", "LV1015", 1, /The YAML tag `!!python\/object:os\.system` cannot be read[\s\S]*The YAML tag `!custom` cannot be read/],
  ["merge_key_scalar.yaml", "LV1016", 1],
  // (An explicit `!!int 0x_` was an internal error: the tag converted the digits without checking them.)
  ["typed_keys.yaml", "LV1018", 1],
  ["unconvertible_numbers.yaml", "LV1017", 1, /error\[LV1017\]: `0x_` is an int to OmegaConf's YAML loader, but Python's int\(\) cannot convert it[\s\S]*`-0b_` is an int[\s\S]*`\._` is a float to OmegaConf's YAML loader, but Python's float\(\)[\s\S]*error\[LV1015\]: The YAML tag `!!int` cannot be read: `0x_` is not a valid int\./],
];
for (const [file, code, exit, message] of EXPECTED) {
  Cases(file, async () => {
    await everyCommand(file, code, exit);
    if (message) assert.match((await cli(["check", file])).out, message);
  });
}
Cases("LV1017: each unconvertible number once (a refused tag is LV1015 alone); `0_` is the int 0, as PyYAML reads it", async () => {
  const r = await cli(["check", "unconvertible_numbers.yaml"]);
  assert.equal([...r.out.matchAll(/^error\[(LV\d+)\]/gm)].map((m) => m[1]).sort(), ["LV1015", "LV1017", "LV1017", "LV1017"], r.out);
  assert.equal(scalarAt(readYaml("run:\n  k: 0_\n", "x.yaml").root, "run.k").value, 0);
  // LAVIS reads `--options` values with the same loader (OmegaConf.from_dotlist).
  const options = await cli(["check", "numbers.yaml", "--options", "run.seed=0x_"]);
  assert.match(options.out, /error\[LV1017\]: `0x_` is an int[^\n]*\n --> <--options #1>:1:10/);
});
Cases("LV1018: plain keys OmegaConf reads as a bool, None or a number printed otherwise; quoted keys and `1`, `2.5` are fine", async () => {
  const r = await cli(["check", "typed_keys.yaml"]);
  const keys = [...r.out.matchAll(/^error\[LV1018\]: The key `([^`]+)` is ([^\n]*?) to OmegaConf/gm)].map((m) => `${m[1]} = ${m[2]}`);
  assert.equal(keys, ["on = the boolean True", "null = None", "0x10 = the int 16", "off = the boolean False"], r.out);
  assert.match(r.out, /OmegaConf refuses a None key \(KeyValidationError\)/);
  assert.not.match(r.out, /LV1018\]: The key `(yes|on|1|2\.5|7)` is[^\n]*\n --> typed_keys\.yaml:1[0-3]:/);
});
Cases("one root cause, one error: a dangling `${...}` on a required key is not also a missing value", async () => {
  const r = await cli(["check", "dangling.yaml"]);
  assert.equal([...r.out.matchAll(/^error\[(LV\d+)\]/gm)].map((m) => m[1]), ["LV2012"], r.out);
});
Cases("migrate: a file with errors is still translated, says so, and exits 1; a refused tag is not dropped silently", async () => {
  const r = await cli(["migrate", "tag_python.yaml"]);
  assert.is(r.code, 1);
  assert.match(r.err, /LV1015/);
  assert.match(r.err, /tag_python\.yaml has 3 errors; its translation was printed anyway\./);
  assert.match(r.out, /experiment tag_python \{/);
});
Cases("migrate never turns a number into a string or loses precision", async () => {
  const r = await cli(["migrate", "numbers.yaml"]);
  for (const line of ["overflow = 1e400", "\"inf\" = inf", "minus_inf = -inf", "\"nan\" = nan", "big = 123456789012345678901234567890", "past_2_53 = 9007199254740993", "minus_zero = 0", "minus_zero_float = -0.0", "many_digits = 0.1000000000000000055511151231257827", "integral_float = 1.0"]) {
    assert.ok(r.out.includes(`    ${line}\n`), `${line}\n${r.out}`);
  }
  const dir = mkdtempSync(join(tmpdir(), "lavisc-numbers-"));
  try {
    writeFileSync(join(dir, "numbers.lv"), r.out);
    const explain = await cli(["explain", "numbers.lv", "--format", "json"], dir);
    for (const t of ['"overflow": Infinity', '"nan": NaN', '"big": 123456789012345678901234567890', '"past_2_53": 9007199254740993', '"minus_zero_float": -0.0']) assert.ok(explain.out.includes(t), t);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
Cases("merge keys migrate to the merged values", async () => {
  const r = await cli(["migrate", "merge_keys.yaml"]);
  assert.match(r.out, /list \{\n\s+b = 2\n\s+c = 30\n\s+a = 1\n\s+z = 0\n\s+\}/);
  assert.match(r.out, /"<<" = "literal"/, "a quoted `<<` stays an ordinary key");
  assert.not.match(r.out, /^\s*<</m, "no merge key is left");
});
Cases.run();

const Special = suite("hostile: a device or a named pipe where a config is expected");
Special("`extends \"/dev/zero\"` and a named pipe given as the file are LV1011, not a read that never ends or blocks", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-special-"));
  try {
    writeFileSync(join(dir, "zero.lv"), 'experiment e extends "/dev/zero" {\n  task retrieval\n}\n');
    const check = (file: string) => spawnSync(process.execPath, [fromRoot("bin", "lavisc.cjs"), "check", file], { cwd: dir, encoding: "utf8", timeout: 30_000 });
    const zero = check("zero.lv");
    assert.is(zero.status, 1, `extends /dev/zero: ${zero.signal ?? ""}${zero.stderr}${zero.stdout}`);
    assert.match(zero.stdout + zero.stderr, /LV1011\]: File could not be read: \/dev\/zero: a device, not a file/);
    if (spawnSync("mkfifo", [join(dir, "pipe.lv")]).status !== 0) return; // no mkfifo: the device case still ran
    const pipe = check("pipe.lv");
    assert.is(pipe.status, 1, `a named pipe: ${pipe.signal ?? ""}${pipe.stderr}${pipe.stdout}`);
    assert.match(pipe.stdout + pipe.stderr, /LV1011\]: .*pipe\.lv: a named pipe, not a file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
Special.run();
