// Sweeps before anything runs: the trial set (product, zip, ranges, filter, limit, --sweep), every trial checked with
// diagnostics that name the trial and its values, the table, one trial as `FILE#tNN`, and the diff of two trials.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { checkSweep } from "../../src/sweep/checkSweep.js";
import { prepareDataset } from "../../src/data/index.js";
import { fromRoot } from "../harness/repoRoot.js";

const dir = fromRoot("test", "sweep", "virtual");
const QUICKSTART = "../../../projects/quickstart/retrieval_shapes.lv";

// The quickstart's shapes data, prepared here with its defaults (as `lavisc data prepare shapes` does), so that the
// steps column counts it whatever ran before this file (not in the user's ~/.cache/lavisc/data).
const DATA_ROOT = join(tmpdir(), "lavisc-sweep-test-data");
prepareDataset("shapes", { root: DATA_ROOT });

/** A file extending the quickstart with these members, in a memory host whose cwd is its folder. */
function sweepFile(members: string, extra: Record<string, string> = {}) {
  const host = memoryHost({ [`${dir}/s.lv`]: `experiment s extends "${QUICKSTART}" {\n${members}\n}\n`, ...extra }, dir);
  // No measured throughput from this machine's earlier sweeps: estimates stay unknown.
  (host.env as Record<string, string>)["LAVISC_CACHE"] = join(tmpdir(), "lavisc-sweep-test-no-cache");
  // The split-size rules and the plan find a built-in dataset's files under the host's data root (annotationStats.ts).
  (host.env as Record<string, string>)["LAVISC_DATA"] = DATA_ROOT;
  return { host, path: `${dir}/s.lv` };
}

const ids = (c: ReturnType<typeof checkSweep>) => c.trials.map((t) => t.trial.id);
const values = (c: ReturnType<typeof checkSweep>) => c.trials.map((t) => t.trial.picks.map((p) => `${p.axis.key}=${p.value.text}`).join(" "));
const codes = (c: ReturnType<typeof checkSweep>) => c.diagnostics.map((d) => d.code);

const Trials = suite("sweep: the trial set");

Trials("the product runs first axis outermost; ids number the product", () => {
  const { host, path } = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 2e-3]\n recipe.seed in [1, 2, 3]\n}`);
  const c = checkSweep(path, host);
  assert.equal(codes(c), []);
  assert.equal(ids(c), ["t01", "t02", "t03", "t04", "t05", "t06"]);
  assert.equal(values(c).slice(0, 4), ["recipe.init_lr=1e-3 recipe.seed=1", "recipe.init_lr=1e-3 recipe.seed=2", "recipe.init_lr=1e-3 recipe.seed=3", "recipe.init_lr=2e-3 recipe.seed=1"]);
});

Trials("the sweep's folder: <output_dir>/sweep; where output_dir reads a swept key, the part of its template before the reference", () => {
  const plain = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 2e-3]\n}`);
  const c = checkSweep(plain.path, plain.host, { cwd: dir });
  assert.is(c.sweepDir, join(dir, "output/quickstart/retrieval_shapes/sweep"));
  const templated = sweepFile(`recipe {\n output_dir = "runs/lr_\${recipe.init_lr}/s\${recipe.seed}"\n}\nsweep {\n recipe.init_lr in [1e-3, 2e-3]\n}`);
  const t = checkSweep(templated.path, templated.host, { cwd: dir });
  assert.equal(codes(t), []);
  assert.is(t.sweepDir, join(dir, "runs/sweep"), "not runs/lr_0.001/s42/sweep, the first trial's");
  assert.equal(t.trials.map((x) => x.outputDir), [join(dir, "runs/sweep/t01"), join(dir, "runs/sweep/t02")]);
  const unswept = sweepFile(`recipe {\n output_dir = "runs/s\${recipe.seed}"\n}\nsweep {\n recipe.init_lr in [1e-3, 2e-3]\n}`);
  assert.is(checkSweep(unswept.path, unswept.host, { cwd: dir }).sweepDir, join(dir, "runs/s42/sweep"), "a reference to a key the sweep does not vary stays");
});

Trials("zip moves its axes together; linear and log ranges include both ends", () => {
  const { host, path } = sweepFile(`sweep {
    zip {
      recipe.batch_size_train in linear(16, 64, count = 4)
      recipe.init_lr in log(1e-4, 1e-2, count = 4)
    }
    recipe.warmup_steps in log(1, 1000, count = 4)
  }`);
  const c = checkSweep(path, host);
  assert.is(c.trials.length, 16);
  const first = c.trials.filter((t) => t.trial.picks[2]!.value.text === "1").map((t) => `${t.trial.picks[0]!.value.text}/${t.trial.picks[1]!.value.text}`);
  assert.equal(first, ["16/0.0001", "32/0.000464158883361", "48/0.00215443469003", "64/0.01"]);
  // Whole-number values of integer ends stay ints (batch sizes, steps); the rest are floats.
  const pick = c.trials[0]!.trial.picks;
  assert.equal(pick.map((p) => (p.value.kind === "number" ? p.value.type : "expr")), ["int", "float", "int"]);
  assert.equal(c.trials.slice(0, 4).map((t) => t.trial.picks[2]!.value.text), ["1", "10", "100", "1000"]);
});

Trials("the filter keeps the trials where it holds; the limit takes the first ones", () => {
  const { host, path } = sweepFile(`sweep {
    recipe.batch_size_train in [16, 32, 64]
    recipe.max_epoch in [1, 2]
    filter recipe.batch_size_train * recipe.max_epoch <= 64 and recipe.lr_sched == linear_warmup_cosine_lr
    limit 3
  }`);
  const c = checkSweep(path, host);
  assert.equal(codes(c), []);
  assert.equal(values(c), ["recipe.batch_size_train=16 recipe.max_epoch=1", "recipe.batch_size_train=16 recipe.max_epoch=2", "recipe.batch_size_train=32 recipe.max_epoch=1"]);
  assert.equal(ids(c), ["t01", "t02", "t03"]);
  assert.is(c.beyondLimit, 3);
});

Trials("--sweep adds axes (Hydra's commas, or a range) and replaces the file's axis over the same key", () => {
  const { host, path } = sweepFile(`sweep {\n recipe.seed in [1, 2]\n}`);
  const c = checkSweep(path, host, { sweeps: ["recipe.init_lr=1e-3,2e-3", "recipe.seed=log(10, 1000, count = 3)"] });
  assert.equal(codes(c), []);
  assert.equal(values(c), ["recipe.seed=10 recipe.init_lr=1e-3", "recipe.seed=10 recipe.init_lr=2e-3", "recipe.seed=100 recipe.init_lr=1e-3", "recipe.seed=100 recipe.init_lr=2e-3", "recipe.seed=1000 recipe.init_lr=1e-3", "recipe.seed=1000 recipe.init_lr=2e-3"]);
  const noFile = checkSweep(fromRoot("projects/quickstart/retrieval_shapes.lv"), host, { sweeps: ["recipe.seed=1,2,3"] });
  assert.is(noFile.trials.length, 3);
});

Trials("an experiment that extends a sweep file inherits its sweep unless it has its own", () => {
  const base = `${dir}/base.lv`;
  const { host } = sweepFile("", {
    [base]: `experiment b extends "${QUICKSTART}" {\n  sweep {\n    recipe.seed in [1, 2]\n  }\n}\n`,
    [`${dir}/inherit.lv`]: `experiment i extends "base.lv" {\n  recipe { max_epoch = 1 }\n}\n`,
    [`${dir}/own.lv`]: `experiment o extends "base.lv" {\n  sweep {\n    recipe.init_lr in [1e-3, 2e-3, 3e-3]\n  }\n}\n`,
  });
  assert.is(checkSweep(`${dir}/inherit.lv`, host).trials.length, 2);
  assert.equal(checkSweep(`${dir}/own.lv`, host).trials[0]!.trial.picks.map((p) => p.axis.key), ["recipe.init_lr"]);
});

const Errors = suite("sweep: mistakes reported before anything runs");

Errors("a list axis naming a value twice is LV3025 at the repeat (as a number: 1e-3 and 0.001 are one value)", () => {
  const { host, path } = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 2e-3, 0.001]\n recipe.seed in [1, 2]\n}`);
  const c = checkSweep(path, host);
  const repeated = c.diagnostics.filter((d) => d.code === "LV3025");
  assert.equal(repeated.map((d) => d.message), ["`recipe.init_lr` lists 0.001 again: the trials that take it twice are the same experiment, run twice."]);
  assert.is(repeated[0]!.related[0]!.message, "first here");
  const clean = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 2e-3]\n}`);
  assert.equal(codes(checkSweep(clean.path, clean.host)), []);
});

Errors("a trial that breaks a stdlib constraint is named with its value, and nothing runs", async () => {
  const { host } = sweepFile(`sweep {\n    recipe.init_lr in [1e-3, 1e-6]\n  }`);
  assert.is(await runCli(["sweep", "s.lv", "--dry-run"], host), 1);
  assert.match(host.err, /error\[LV4001\]: trial t02 \(recipe\.init_lr = 1e-6\): `min_lr` must not exceed init_lr/);
  assert.not.match(host.err, /trial t01/);
  // The sweep axis's value is shown where the trial takes it from.
  assert.match(host.err, /::: s\.lv:3:30\n.*\n.*recipe\.init_lr in \[1e-3, 1e-6\]\n.*\^?-{4} `init_lr` is 1e-06 here/);
  assert.match(host.out, /t01\s+1e-3\s+ok\s+180/);
  assert.match(host.out, /t02\s+1e-6\s+2 errors/);
  assert.match(host.out, /1 of 2 trials have errors: nothing runs until every trial checks/);

  const out = fromRoot("test", "sweep", "virtual", "never");
  const run = sweepFile(`sweep {\n    recipe.init_lr in [1e-3, 1e-6]\n  }`);
  assert.is(await runCli(["sweep", "s.lv", "--out", out], run.host), 1);
  assert.match(run.host.err, /no trial was started: 1 of the trials have errors/);
  assert.not.ok(existsSync(out), "no folder is made before every trial checks");
  // One trial asked for with --trial: its errors are shown too, with --dry-run or not; a trial that is not there is a
  // usage error, with --dry-run too.
  for (const dry of [[], ["--dry-run"]]) {
    const one = sweepFile(`sweep {\n    recipe.init_lr in [1e-3, 1e-6]\n  }`);
    assert.is(await runCli(["sweep", "s.lv", "--out", out, "--trial", "t02", ...dry], one.host), 1);
    assert.match(one.host.err, /error\[LV4001\]: trial t02 \(recipe\.init_lr = 1e-6\)/, dry.join(" "));
    const none = sweepFile(`sweep {\n    recipe.init_lr in [1e-3, 2e-3]\n  }`);
    assert.is(await runCli(["sweep", "s.lv", "--out", out, "--trial", "t99", ...dry], none.host), 2);
    assert.match(none.host.err, /the sweep has no trial t99; its trials are t01, t02/);
  }
  assert.not.ok(existsSync(out));
  // lavisc check says the same.
  const chk = sweepFile(`sweep {\n    recipe.init_lr in [1e-3, 1e-6]\n  }`);
  assert.is(await runCli(["check", "s.lv"], chk.host), 1);
  assert.match(chk.host.out, /trial t02 \(recipe\.init_lr = 1e-6\)/);
  assert.match(chk.host.out, /t02\s+1e-6\s+2 errors/);
});

Errors("lavisc check FOLDER checks every trial of a sweep file in it, as lavisc check FILE does", async () => {
  const { host } = sweepFile(`sweep {\n    recipe.init_lr in [1e-3, 1e-6]\n  }`);
  assert.is(await runCli(["check", "."], host), 1);
  assert.match(host.out, /error\[LV4001\]: trial t02 \(recipe\.init_lr = 1e-6\): `min_lr` must not exceed init_lr/);
  assert.not.match(host.out, /trial t01/);
  const clean = sweepFile(`sweep {\n    recipe.init_lr in [1e-3, 2e-3]\n  }`);
  assert.is(await runCli(["check", "."], clean.host), 0, clean.host.out + clean.host.err);
});

Errors("a problem every trial has is the experiment's own: shown once, without a trial", () => {
  const { host, path } = sweepFile(`recipe { lerning_rate = 1 }\nsweep {\n recipe.seed in [1, 2, 3]\n}`);
  const c = checkSweep(path, host);
  const unknown = c.diagnostics.filter((d) => d.code === "LV2001");
  assert.is(unknown.length, 1);
  assert.not.match(unknown[0]!.message, /trial/);
  assert.equal(c.trials.map((t) => t.errors), [1, 1, 1]);
});

Errors("a swept value of the wrong type is reported at the value in the sweep", () => {
  const { host, path } = sweepFile(`sweep {\n recipe.batch_size_train in [16, "32"]\n}`);
  const c = checkSweep(path, host);
  const d = c.diagnostics.find((x) => x.code === "LV3001")!;
  assert.match(d.message, /^trial t02 \(recipe\.batch_size_train = "32"\): /);
  assert.is(host.readFile(path).slice(d.span!.start, d.span!.end), '"32"');
});

Errors("the sweep's own mistakes", () => {
  const check = (members: string, opts = {}) => {
    const { host, path } = sweepFile(members);
    return checkSweep(path, host, opts);
  };
  assert.equal(codes(check(`sweep {\n zip {\n recipe.seed in [1, 2]\n recipe.init_lr in [1e-3]\n }\n}`)), ["LV3021"]);
  assert.equal(codes(check(`sweep {\n recipe.seed in [1, 2]\n zip { recipe.seed in [3]\n recipe.init_lr in [1e-3] }\n}`)), ["LV2041"]);
  assert.equal(codes(check(`sweep {\n init_lr in [1e-3]\n}`)), ["LV2042"]);
  assert.equal(codes(check(`sweep {\n recipe.output_dir in ["a", "b"]\n}`)), ["LV2044"]);
  assert.equal(codes(check(`sweep {\n recipe.init_lr in log(0, 1, count = 3)\n recipe.seed in linear(1, 2)\n recipe.a in linear(x, 2, count = 2)\n}`)), ["LV3020", "LV3020", "LV3020"]);
  assert.equal(codes(check(`sweep {\n recipe.seed in []\n}`)), ["LV3022"]);
  const twoFilters = check(`sweep {\n recipe.seed in [1, 2]\n filter recipe.seed > 0\n filter recipe.seed < 3\n}`);
  assert.equal(codes(twoFilters), ["LV2002"]);
  assert.match(twoFilters.diagnostics[0]!.hint!, /join the conditions with `and`/, "LAVIS has no sweeps: not the hint of a duplicate YAML key");
  // A negative limit or count is the same "at least 1" error as 0, not a syntax error with a stray axis `1` after it.
  const negative = check(`sweep {\n recipe.seed in linear(1, 2, count = -1)\n limit -1\n}`);
  assert.equal(codes(negative), ["LV3020", "LV3020"]);
  assert.equal(codes(check(`sweep {\n recipe.seed in [1, 2]\n}`, { sets: ["recipe.seed=3"] })), ["LV2043"]);
  assert.equal(codes(check(`sweep {\n recipe.seed in [1, 2]\n filter seed > 1\n}`)), ["LV2045"]);
  assert.equal(codes(check(`sweep {\n recipe.seed in [1, 2]\n filter recipe.seed > 5\n}`)), ["LV3022"]);
  assert.equal(codes(check(`sweep {\n recipe.seed in [1, 2]\n filter recipe.max_iters > 5\n}`)), ["LV3023", "LV3023"]);
  const none = check(``);
  assert.equal(codes(none), ["LV3022"]);
  assert.ok(none.diagnostics[0]!.span, "no sweep at all is located at the experiment's name");
  const big = check(`sweep {\n${["seed", "init_lr", "min_lr", "max_epoch"].map((k) => ` recipe.${k} in linear(1, 10, count = 10)`).join("\n")}\n}`);
  assert.equal(codes(big), ["LV3024"]);
  assert.is(big.trials.length, 0);
  assert.equal(codes(check(`sweep {\n recipe.seed in linear(1, 1000000000, count = 1000000000)\n}`)), ["LV3024"]);
  assert.equal(codes(check(`sweep {\n recipe.seed in [1, 2]\n}\nsweep {\n recipe.init_lr in [1e-3]\n}`)), ["LV2040"]);
  assert.equal(codes(check(`sweep {\n recipe.seed in [1]\n}`, { sweeps: ["recipe.seed"] })), ["LV2022"]);
});

const Commands = suite("sweep: tables, trials as files, diffs");

Commands("--dry-run prints the table; --format json gives the same as data", async () => {
  const { host } = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 3e-3]\n recipe.batch_size_train in [32, 64]\n}`);
  assert.is(await runCli(["sweep", "s.lv", "--dry-run"], host), 0);
  assert.match(host.out, /^sweep of s: 4 trials of 4 combinations \(2 × 2: recipe\.init_lr, recipe\.batch_size_train\)\n/);
  assert.match(host.out, /trial  recipe\.init_lr  recipe\.batch_size_train  check  steps  params  est\. time\n/);
  assert.match(host.out, /t02\s+1e-3\s+64\s+ok\s+90\s+1\.1M\s+\?\n/);
  const j = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 3e-3]\n}`);
  assert.is(await runCli(["sweep", "s.lv", "--dry-run", "--format", "json"], j.host), 0);
  const doc = JSON.parse(j.host.out);
  assert.equal(doc.trials.map((t: { id: string; values: Record<string, string>; steps: number }) => [t.id, t.values["recipe.init_lr"], t.steps]), [["t01", "1e-3", 180], ["t02", "3e-3", 180]]);
  assert.equal(doc.diagnostics.diagnostics, []);
  const bad = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 1e-6]\n}`);
  assert.is(await runCli(["sweep", "s.lv", "--dry-run", "--format", "json"], bad.host), 1);
  const badDoc = JSON.parse(bad.host.out);
  assert.equal(badDoc.trials.map((t: { errors: number }) => t.errors), [0, 2]);
  assert.match(badDoc.diagnostics.diagnostics[0].message, /^trial t02 \(recipe\.init_lr = 1e-6\): /);
});

Commands("FILE#t02 is that trial wherever an experiment is expected; the plain file warns that it has a sweep", async () => {
  const { host } = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 3e-3]\n}`);
  assert.is(await runCli(["explain", "s.lv#t02", "recipe.init_lr"], host), 0);
  assert.match(host.out, /run\.init_lr = 0\.003 {2}set at s\.lv:3/);
  const plan = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 3e-3]\n}`);
  assert.is(await runCli(["plan", "s.lv#t01"], plan.host), 0);
  assert.match(plan.host.out, /output\/quickstart\/retrieval_shapes\/sweep\/t01\/<job_id>\/log\.txt/);
  const base = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 3e-3]\n}`);
  assert.is(await runCli(["plan", "s.lv"], base.host), 0);
  assert.match(base.host.err, /warning\[LV4030\]: This file declares a sweep of 2 combinations/);
  const none = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 3e-3]\n}`);
  assert.is(await runCli(["check", "s.lv#t07"], none.host), 1);
  assert.match(none.host.out, /`s\.lv` has no trial t07: the sweep has 2 combinations/);
});

Commands("diff of two trials: the swept keys, what follows from them, and the plan", async () => {
  const { host } = sweepFile(`sweep {\n recipe.init_lr in [1e-3, 3e-3]\n recipe.max_epoch in [1, 2]\n}`);
  assert.is(await runCli(["diff", "s.lv#t01", "s.lv#t04"], host), 1);
  const out = host.out;
  assert.match(out, /^--- s\.lv#t01\n\+\+\+ s\.lv#t04\nswept:\n  run\.init_lr: 0\.001 \(set at s\.lv:3\) → 0\.003 \(set at s\.lv:3\)\n  run\.max_epoch: 1 \(set at s\.lv:4\) → 2 \(set at s\.lv:4\)\nfollows from them:\n  run\.output_dir: /);
  assert.match(out, /plan \(t01 {2}\| {2}t04\):\n/);
  assert.match(out, /  total steps: 60 {2}\| {2}120\n/);
  assert.match(out, /  lr in epoch 1: - {2}\| {2}0\.0015/);
  assert.not.match(out, /batch_size|seed/, "keys the sweep does not touch are not shown");
});
Trials.run();
Errors.run();
Commands.run();
