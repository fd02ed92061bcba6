import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fromRoot } from "../harness/repoRoot.js";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";

// Option values with a closed set or a numeric type, and `--set`/`--options` on keys that do not exist, are usage
// errors (exit 2) that say what is accepted; nothing runs. No override can reach Object.prototype.

const caption = readFileSync(fromRoot("test", "cases", "interop", "blip_caption_coco_ft.yaml"), "utf8");
const host = () => memoryHost({ "/p/a.yaml": caption }, "/p");

async function usage(argv: string[], message: RegExp): Promise<void> {
  const h = host();
  const code = await runCli(argv, h);
  assert.is(code, 2, `${argv.join(" ")}: exit ${code}\n${h.out}${h.err}`);
  assert.match(h.err + h.out, message, argv.join(" "));
}

test("a closed set of values: the choices, and did-you-mean for a near miss", async () => {
  await usage(["run", "a.yaml", "--engine", "lavsi"], /--engine expects one of tfjs, lavis, got 'lavsi'; did you mean 'lavis'\?/);
  await usage(["check", "a.yaml", "--format", "jsn"], /--format expects one of text, json, sarif, github, got 'jsn'; did you mean 'json'\?/);
  await usage(["graph", "a.yaml", "--format", "svg"], /--format expects one of dot, mermaid, json, got 'svg'/);
  await usage(["plan", "a.yaml", "--format", "yaml"], /--format expects one of text, json/);
  await usage(["explain", "a.yaml", "--format", "yaml"], /--format expects one of text, json/);
  await usage(["diff", "a.yaml", "a.yaml", "--format", "html"], /--format expects one of text, json/);
  await usage(["schema", "--format", "yaml"], /--format expects one of json-schema/);
  await usage(["data", "prepare", "shapez"], /expects one of shapes, fashion-mnist, got 'shapez'; did you mean 'shapes'\?/);
});

test("numbers: integers in range, nothing else", async () => {
  await usage(["run", "a.yaml", "--workers", "abc"], /--workers expects an integer from 0 to 256, got 'abc'/);
  await usage(["run", "a.yaml", "--workers", "1.5"], /--workers expects an integer/);
  await usage(["run", "a.yaml", "--workers", "100000"], /--workers expects an integer from 0 to 256/);
  await usage(["run", "a.yaml", "--engine", "lavis", "--dry-run", "--nproc-per-node", "0"], /--nproc-per-node expects a positive integer, got '0'/);
  await usage(["run", "a.yaml", "--engine", "lavis", "--dry-run", "--nnodes", "two"], /--nnodes expects a positive integer/);
  await usage(["run", "a.yaml", "--engine", "lavis", "--dry-run", "--node-rank", "-1"], /--node-rank expects an integer >= 0/);
  await usage(["run", "a.yaml", "--engine", "lavis", "--dry-run", "--master-port", "99999"], /--master-port expects an integer from 1 to 65535/);
  await usage(["check", "a.yaml", "--max-errors", "0"], /--max-errors expects a positive integer/);
  await usage(["data", "prepare", "shapes", "--seed", "1e3"], /--seed expects an integer/);
  await usage(["data", "vocab", "a.yaml", "--size", "-5"], /--size expects a positive integer/);
  await usage(["data", "vocab", "a.yaml", "--min-count", "x"], /--min-count expects a positive integer/);
});

test("valid numbers reach the command", async () => {
  const h = host();
  assert.is(await runCli(["run", "a.yaml", "--engine", "lavis", "--dry-run", "--nproc-per-node", "8", "--nnodes", "2", "--node-rank", "0", "--master-port", "29500", "--lavis-root", "/opt/LAVIS"], h), 0, h.err);
  assert.match(h.out, /--nproc_per_node=8 --nnodes=2 --node_rank=0 --master_port=29500 /);
});

test("--set and --options on a key path that does not exist are usage errors, located in the command line", async () => {
  await usage(["check", "a.yaml", "--set", "recipe.init_l=1e-4"], /Unknown key `init_l` in `run`[\s\S]*<--set #1>:1:1[\s\S]*Did you mean `init_lr`\?/);
  await usage(["check", "a.yaml", "--options", "run.no_such_key=1"], /Unknown key `no_such_key`[\s\S]*<--options #1>/);
  await usage(["check", "a.yaml", "--set", "nosection.x=1"], /Unknown override section `nosection`/);
  await usage(["explain", "a.yaml", "--set", "recipe.init_l=1e-4"], /Unknown key `init_l`/);
  await usage(["plan", "a.yaml", "--set", "recipe.init_l=1e-4"], /Unknown key `init_l`/);
  await usage(["export", "a.yaml", "--set", "recipe.init_l=1e-4"], /Unknown key `init_l`/);
  await usage(["run", "a.yaml", "--set", "recipe.init_l=1e-4"], /Unknown key `init_l`/);
  // A value of the wrong type given on the command line is the command line's mistake too.
  await usage(["check", "a.yaml", "--set", "recipe.init_lr=\"fast\""], /`run\.init_lr` expects a number/);
  // explain's KEY argument names a key the experiment does not have.
  await usage(["explain", "a.yaml", "run.no_such_key"], /`run\.no_such_key` has no value/);
});

test("an --options value YAML cannot load is LV1008 about the YAML, located in the command line, not about a file", async () => {
  const h = host();
  assert.is(await runCli(["check", "a.yaml", "--options", "run.seed=="], h), 2, `a value that does not parse is the command line's error\n${h.out}${h.err}`);
  assert.match(h.out, /error\[LV1008\]: The YAML could not be parsed: a lone `=`[\s\S]*<--options #1>:1:10/);
  assert.not.match(h.out, /YAML file/);
});

test("__proto__, constructor and prototype in override paths are errors and pollute nothing", async () => {
  const paths = ["__proto__.polluted", "constructor.prototype.polluted", "recipe.__proto__.polluted", "model.__proto__.polluted", "datasets.__proto__.polluted", "recipe.constructor.prototype.polluted"];
  for (const p of paths) {
    await usage(["check", "a.yaml", "--set", `${p}=1`], /error\[LV20(01|05|23)\]/);
    await usage(["check", "a.yaml", "--options", `${p.replace(/^recipe\./, "run.")}=1`], /error\[LV20(01|05|23)\]/);
    await usage(["check", "a.yaml", "--options", p.replace(/^recipe\./, "run."), "{\"polluted\": 1}"], /error\[LV20(01|05|23)\]/);
  }
  assert.is(({} as Record<string, unknown>)["polluted"], undefined, "Object.prototype is untouched");
  assert.is(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"), false);
});

test("a --set or --options value that does not parse is a usage error like one of the wrong type (was exit 1)", async () => {
  await usage(["check", "a.yaml", "--set", "recipe.min_lr=.inf"], /LV1002/);
  await usage(["check", "a.yaml", "--set", "recipe.output_dir="], /LV1002/);
  await usage(["check", "a.yaml", "--set", "recipe.min_lr=(1"], /LV1002/);
  await usage(["check", "a.yaml", "--set", 'recipe.min_lr="x"'], /LV3001/);
  // A well-formed value the experiment then rejects is the experiment's error.
  const h = host();
  const code = await runCli(["check", "a.yaml", "--set", "recipe.min_lr=1"], h);
  assert.is(code, 1, h.out + h.err);
});

test.run();
