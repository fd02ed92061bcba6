import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost, nodeHost } from "../../src/cli/host.js";
import { checkFile } from "../../src/index.js";
import { getPath } from "../../src/semantic/configTree.js";
import { omegaConf } from "../interop/interopHarness.js";
import { OMEGACONF, testWith } from "../harness/requires.js";
import { fromRoot } from "../harness/repoRoot.js";

// What an expression reads from another key (src/semantic/evaluate.ts, resolve.ts): a list with its items resolved,
// one error per reference cycle and nothing derived from it, null in an operator, and `/` keeping floats floats.

const test = suite("values that expressions read");

const LV = readFileSync(fromRoot("projects", "blip", "caption_coco_ft.lv"), "utf8");
const YAML = readFileSync(fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml"), "utf8");

/** The caption project with `replace` applied to the line that starts with `line` (kept when `replace` holds it). */
function edit(text: string, line: string, replace: string): string {
  const at = text.indexOf(`\n${line}`);
  assert.ok(at >= 0, line);
  const end = text.indexOf("\n", at + 1);
  return text.slice(0, at + 1) + replace + text.slice(end);
}

async function cli(files: Record<string, string>, argv: string[]): Promise<{ code: number; out: string }> {
  const h = memoryHost(files, "/w");
  const code = await runCli(argv, h);
  return { code, out: h.out + h.err };
}

/** `lavisc explain FILE KEY`: the value part of its first line. */
async function explained(files: Record<string, string>, file: string, key: string): Promise<string> {
  const r = await cli(files, ["explain", file, key]);
  return r.out.split("\n")[0]!.split("  ")[0]!;
}

const errorCount = (out: string) => (out.match(/^error\[/gm) ?? []).length;

test("a list written with bare names (`valid_splits = [val]`) reads as its strings to `in`, `==` and a string", async () => {
  const lv = edit(LV, "    max_epoch = 5", "    max_epoch = if val in valid_splits then 5 else 1\n    length_penalty = if valid_splits == [val] then 2.0 else 1.0");
  const files = { "/w/e.lv": edit(lv, '    output_dir = "output/BLIP/Caption_coco"', '    output_dir = "out/${recipe.valid_splits}/${recipe.test_splits}"') };
  const r = await cli(files, ["check", "e.lv"]);
  assert.is(r.code, 0, r.out);
  assert.is(await explained(files, "e.lv", "recipe.max_epoch"), "run.max_epoch = 5", "`val in valid_splits`");
  assert.is(await explained(files, "e.lv", "recipe.length_penalty"), "run.length_penalty = 2.0", "`valid_splits == [val]`");
  assert.is(await explained(files, "e.lv", "recipe.output_dir"), `run.output_dir = "out/['val']/['test']"`, "Python's str() of the list");
  const negated = { "/w/e.lv": edit(LV, "    max_epoch = 5", "    max_epoch = if test not in valid_splits then 3 else 1") };
  assert.is(await explained(negated, "e.lv", "recipe.max_epoch"), "run.max_epoch = 3");
});

test("a list that holds itself is one LV2015, not a hang", async () => {
  const yaml = edit(YAML, "  test_splits:", '  test_splits: ["test", "${run.test_splits}"]');
  const r = await cli({ "/w/p.yaml": yaml }, ["check", "p.yaml"]);
  assert.is(r.code, 1);
  assert.match(r.out, /error\[LV2015\]: The reference `\$\{run\.test_splits\}` is circular/);
  assert.is(errorCount(r.out), 1, r.out);
});

testWith(test, OMEGACONF)("a YAML list in a string is OmegaConf's str() of it: an interpolated item keeps its `${...}` text", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-lists-"));
  try {
    const cases = [
      ['"o/${run.valid_splits}"', '["val"]'],
      ['"o/${run.test_splits}-${run.valid_splits}"', '["${run.seed}", test, 1.0, null, true, "it\'s", [a]]'],
      ['"o/${run.test_splits}"', '["${run.valid_splits}", "x${run.seed}"]'],
    ];
    const files = cases.map(([outputDir, testSplits], i) => {
      const file = join(dir, `c${i}.yaml`);
      writeFileSync(file, edit(edit(YAML, "  output_dir:", `  output_dir: ${outputDir}`), "  test_splits:", `  test_splits: ${testSplits}`));
      return file;
    });
    const theirs = omegaConf("load", files);
    for (const file of files) {
      const expected = ((theirs[file] as Record<string, Record<string, unknown>>).run!).output_dir;
      const r = checkFile(file, nodeHost());
      const node = r.resolved ? getPath(r.resolved.root, ["run", "output_dir"]) : undefined;
      assert.is(node?.kind === "scalar" ? node.value : "absent", expected, file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a cycle of references is one LV2015 that names its keys in order, with the others as related locations", async () => {
  const twoKeys = edit(edit(LV, "    max_epoch = 5", "    max_epoch = min_len + 0"), "    min_len = 5", "    min_len = max_epoch * 1");
  const r = await cli({ "/w/e.lv": twoKeys }, ["check", "e.lv"]);
  assert.match(r.out, /error\[LV2015\]: The reference `min_len \+ 0` is circular: `run\.max_epoch` → `run\.min_len` → `run\.max_epoch`\.\n  --> e\.lv:22:17\n/);
  assert.match(r.out, /min_len = max_epoch \* 1\n.*`run\.min_len` reads `run\.max_epoch`/);
  assert.is(errorCount(r.out), 1, r.out);
  assert.not.match(r.out, /`null`/, "nothing derived from a stand-in null");

  const self = await cli({ "/w/e.lv": edit(LV, "    max_epoch = 5", "    max_epoch = max_epoch + 1") }, ["check", "e.lv"]);
  assert.match(self.out, /error\[LV2015\]: .*: `run\.max_epoch` → `run\.max_epoch`\./);
  assert.is(errorCount(self.out), 1, self.out);

  const threeKeys = edit(edit(edit(LV, "    max_epoch = 5", "    max_epoch = min_len + 0"), "    min_len = 5", "    min_len = num_beams * 1"), "    num_beams = 3", "    num_beams = max_epoch - 0");
  const three = await cli({ "/w/e.lv": threeKeys }, ["check", "e.lv"]);
  assert.match(three.out, /: `run\.max_epoch` → `run\.min_len` → `run\.num_beams` → `run\.max_epoch`\./);
  assert.match(three.out, /`run\.min_len` reads `run\.num_beams`[\s\S]*`run\.num_beams` reads `run\.max_epoch`/);
  assert.is(errorCount(three.out), 1, three.out);

  // A value that reads a key of the cycle fails with it, silently: the cycle is the one problem.
  const reader = await cli({ "/w/e.lv": edit(twoKeys, '    output_dir = "output/BLIP/Caption_coco"', '    output_dir = "out/${recipe.max_epoch}"\n    warmup_steps = min_len') }, ["check", "e.lv"]);
  assert.is(errorCount(reader.out), 1, reader.out);
});

test("a cycle across files, and one in YAML, is the cycle error alone (no `cannot be null` from a stand-in)", async () => {
  const base = edit(LV, "    max_epoch = 5", "    max_epoch = 5\n    warmup_lr = init_lr");
  const child = 'experiment child extends "base.lv" {\n  recipe {\n    init_lr = warmup_lr\n  }\n}\n';
  const r = await cli({ "/w/base.lv": base, "/w/child.lv": child }, ["check", "child.lv"]);
  assert.match(r.out, /error\[LV2015\]: The reference `warmup_lr` is circular: `run\.init_lr` → `run\.warmup_lr` → `run\.init_lr`\.\n {2}--> child\.lv:3:15\n/);
  assert.match(r.out, /::: base\.lv:23:17\n[\s\S]*`run\.warmup_lr` reads `run\.init_lr`/);
  assert.is(errorCount(r.out), 1, r.out);

  const yaml = edit(edit(YAML, "  max_epoch:", "  max_epoch: ${run.min_len}"), "  min_len:", "  min_len: ${run.max_epoch}");
  const y = await cli({ "/w/p.yaml": yaml }, ["check", "p.yaml"]);
  assert.match(y.out, /error\[LV2015\]: The reference `\$\{run\.min_len\}` is circular: `run\.max_epoch` → `run\.min_len` → `run\.max_epoch`/);
  assert.is(errorCount(y.out), 1, y.out);
});

test("null in an operator is a type error that says so, not an unknown key named `null`", async () => {
  const r = await cli({ "/w/e.lv": edit(LV, "    max_epoch = 5", "    max_epoch = null + 1") }, ["check", "e.lv"]);
  assert.match(r.out, /error\[LV2012\]: Cannot resolve the reference `null \+ 1`[\s\S]*help: null cannot be added/);
  assert.not.match(r.out, /`null` is not a key/);
  assert.is(errorCount(r.out), 1, r.out);
  const compared = await cli({ "/w/e.lv": edit(LV, "    max_epoch = 5", "    resume_ckpt_path = null\n    max_epoch = if resume_ckpt_path > 1 then 2 else 3") }, ["check", "e.lv"]);
  assert.match(compared.out, /help: null cannot be compared with `>`/);
});

test("`/` gives a float when an operand is a float (3.0 / 3.0 is 1.0), an int for two ints that divide exactly", async () => {
  const lv = edit(edit(edit(LV, "    max_epoch = 5", "    max_epoch = 10.0 / 2.0\n    length_penalty = 3.0 / 3.0"), "    num_workers = 4", "    num_workers = 8 / 2"), '    output_dir = "output/BLIP/Caption_coco"', '    output_dir = "o/${recipe.length_penalty}/${recipe.num_workers}"');
  const files = { "/w/e.lv": lv };
  assert.is(await explained(files, "e.lv", "recipe.length_penalty"), "run.length_penalty = 1.0");
  assert.is(await explained(files, "e.lv", "recipe.output_dir"), 'run.output_dir = "o/1.0/4"', "Python's str() of 1.0");
  assert.is(await explained(files, "e.lv", "recipe.max_epoch"), "run.max_epoch = 5.0", "a float, which LAVIS's int() reads as 5");
  const exported = await cli(files, ["export", "e.lv"]);
  assert.match(exported.out, /\n {2}length_penalty: 1\.0\n/);
  assert.match(exported.out, /\n {2}num_workers: 4\n/);
  const inexact = await cli({ "/w/e.lv": edit(LV, "    max_epoch = 5", "    max_epoch = 10 / 4") }, ["check", "e.lv"]);
  assert.match(inexact.out, /error\[LV3001\]: `run\.max_epoch` expects an integer but got float 2\.5/, "an int key computed with `/` is told it got a float");
});

test.run();
