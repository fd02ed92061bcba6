// End to end on TensorFlow.js: the quickstart's learning rate and seed swept on a shortened schedule
// (test/sweep/fixtures/quickstart_sweep.lv: 64 training captions, 8 val and 8 test images, 2 epochs of 4 steps).
// A stop request interrupts trial t02; the next run skips t01, resumes t02 from its checkpoint and runs t03 and t04
// two at a time in child processes; a third run has nothing to do; a changed configuration is refused.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { nodeHost, type Host } from "../../src/cli/host.js";
import { prepareDataset } from "../../src/data/index.js";
import { sweepCommand } from "../../src/sweep/sweepCommand.js";
import { UsageError } from "../../src/cli/usageError.js";
import type { TrialRecord } from "../../src/sweep/trialFolder.js";
import { fromRoot } from "../harness/repoRoot.js";

const FIXTURE = fromRoot("test", "sweep", "fixtures", "quickstart_sweep.lv");

function capture(env: Record<string, string>): Host & { out: string; err: string } {
  const h = { ...nodeHost(), cwd: fromRoot(), env: { ...process.env, ...env }, isTTY: false, color: false, out: "", err: "", stdout(t: string) { h.out += t; }, stderr(t: string) { h.err += t; } };
  return h;
}

/** The shapes data with the fixture's small annotation files beside it. */
function smallShapes(root: string): void {
  prepareDataset("shapes", { root });
  mkdirSync(join(root, "shapes_small"), { recursive: true });
  for (const [split, n] of [["train", 64], ["val", 8], ["test", 8]] as const) {
    const records = JSON.parse(readFileSync(join(root, "shapes", "annotations", `captions_${split}.json`), "utf8")) as unknown[];
    writeFileSync(join(root, "shapes_small", `captions_${split}.json`), JSON.stringify(records.slice(0, n)));
  }
}

const record = (dir: string, id: string) => JSON.parse(readFileSync(join(dir, id, "trial.json"), "utf8")) as TrialRecord;
const stepLines = (dir: string, id: string) => {
  try {
    return readFileSync(join(dir, id, "curve.jsonl"), "utf8").split("\n").filter((l) => l.includes('"step"')).length;
  } catch {
    return 0;
  }
};

test("a sweep over the quickstart's learning rate and seed runs, resumes, reports", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-sweep-"));
  try {
    // Reused between runs of the suite: the generator rebuilds it only when its version or parameters change.
    const dataRoot = join(tmpdir(), "lavisc-test-data");
    smallShapes(dataRoot);
    const out = join(tmp, "sweep");
    const env = { LAVISC_CACHE: join(tmp, "cache") };
    const args = ["--data-root", dataRoot, "--out", out, "--workers", "1", "--quiet"];

    // 1. In this process, one trial after another; a stop request after two steps of t02.
    const h1 = capture(env);
    const stop = { get stopRequested() { return stepLines(out, "t02") >= 2; } };
    const code1 = await sweepCommand(h1, FIXTURE, {
      sweep: [], set: [], format: "text", jobs: "1", engine: "tfjs", dataRoot, out, workers: 1, quiet: true, stopSignal: stop,
    });
    assert.is(code1, 130, h1.err);
    assert.is(record(out, "t01").status, "done");
    assert.is(record(out, "t02").status, "interrupted");
    const [job2] = readdirSync(join(out, "t02")).filter((f) => /^\d/.test(f));
    assert.ok(existsSync(join(out, "t02", job2!, "checkpoint_interrupted.json")), "t02 left a resumable checkpoint");
    assert.not.ok(existsSync(join(out, "t03")), "nothing started after the stop");
    assert.match(readFileSync(join(out, "sweep.html"), "utf8"), /t02/);

    // 2. The same command again, two at a time: t01 skipped, t02 resumed, t03 and t04 in child processes.
    const h2 = capture(env);
    const code2 = await runCli(["sweep", FIXTURE, ...args, "--jobs", "2"], h2);
    assert.is(code2, 0, h2.err);
    assert.match(h2.err, /4 trials in .*; 1 finished before, 3 to run \(1 resumed\), 2 at a time/);
    assert.match(h2.err, /\[t02\] t02: resuming from .*checkpoint_interrupted\.json \(epoch 0, step 2\)/);
    const records = ["t01", "t02", "t03", "t04"].map((id) => record(out, id));
    assert.equal(records.map((r) => r.status), ["done", "done", "done", "done"]);
    assert.is(records[1]!.runs.length, 2);
    assert.match(records[1]!.runs[1]!.resumedFrom ?? "", /checkpoint_interrupted\.json$/);
    assert.equal(records.map((r) => r.values), [
      { "recipe.init_lr": "1e-3", "recipe.seed": "1" }, { "recipe.init_lr": "1e-3", "recipe.seed": "2" },
      { "recipe.init_lr": "3e-3", "recipe.seed": "1" }, { "recipe.init_lr": "3e-3", "recipe.seed": "2" },
    ]);
    for (const r of records) {
      assert.ok(r.best && r.best.aggMetrics > 0, `${r.id} has a validation agg_metrics`);
      assert.ok(r.metrics["test"]?.["agg_metrics"] !== undefined, `${r.id} was tested`);
    }
    // The resumed trial's curve has every step of both epochs once.
    const curve = readFileSync(join(out, "t02", "curve.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { kind: string; epoch: number; step: number });
    const places = new Set(curve.filter((e) => e.kind === "step").map((e) => `${e.epoch}/${e.step}`));
    assert.equal([...places].sort(), ["0/0", "0/1", "0/2", "0/3", "1/0", "1/1", "1/2", "1/3"]);

    // The best trial is the one with the highest validation agg_metrics (the earlier one on a tie), whatever the test split says.
    const sweep = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"));
    const top = Math.max(...records.map((r) => r.best!.aggMetrics));
    assert.is(sweep.best.trial, records.find((r) => r.best!.aggMetrics === top)!.id);
    assert.is(sweep.selection.split, "val");
    const html = readFileSync(join(out, "sweep.html"), "utf8");
    assert.match(html, new RegExp(`<tr class="best"><td>★ ${sweep.best.trial}</td>`));
    assert.is((html.match(/<svg /g) ?? []).length, 2, "the loss curves and the validation curves");
    assert.is((html.match(/<polyline /g) ?? []).length, 8, "one line per trial in each plot");
    assert.not.match(html, /<script|src="http|href="http/, "self-contained");
    assert.match(h2.out, new RegExp(`${sweep.best.trial} \\*`));

    // 3. Again: nothing to do. The dry run now estimates times from the measured trials.
    const h3 = capture(env);
    assert.is(await runCli(["sweep", FIXTURE, ...args], h3), 0, h3.err);
    assert.match(h3.err, /4 finished before, nothing to run/);
    const h4 = capture(env);
    assert.is(await runCli(["sweep", FIXTURE, ...args, "--dry-run"], h4), 0);
    assert.match(h4.out, /t01\s+1e-3\s+1\s+ok\s+8\s+1\.1M\s+\d+:\d\d\n/);
    assert.match(h4.out, /ran in 4 finished trials of this sweep on @tensorflow\/tfjs-backend-wasm/);

    // 4. A changed configuration does not reuse the folder.
    const h5 = capture(env);
    assert.is(await runCli(["sweep", FIXTURE, ...args, "--set", "recipe.max_epoch=1"], h5), 1);
    assert.match(h5.err, /error\[LV6010\]: The sweep folder .* holds trial t01 of another configuration: run\.max_epoch \(2 then, 1 now\)/);
    assert.is(record(out, "t01").runs.length, 1, "nothing ran");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("a sweep folder holding files lavisc did not write is refused before anything is written (exit 2); --force replaces them", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-sweep-"));
  try {
    const dataRoot = join(tmpdir(), "lavisc-test-data");
    smallShapes(dataRoot);
    const out = join(tmp, "sweep");
    const env = { LAVISC_CACHE: join(tmp, "cache") };
    // Stopped before the first step: a sweep that got past the guard writes its report and trial.json, trains nothing.
    const sweep = (force: boolean) => {
      const h = capture(env);
      const run = sweepCommand(h, FIXTURE, {
        sweep: [], set: [], format: "text", jobs: "1", engine: "tfjs", dataRoot, out, workers: 1, quiet: true, stopSignal: { stopRequested: true }, force,
      }).catch((e: Error) => { h.err += e.message; return e instanceof UsageError ? 2 : 3; });
      return run.then((code) => ({ code, err: h.err }));
    };
    const mine = { "sweep.json": "{\"mine\": true}\n", "sweep.html": "<p>mine</p>\n", "t02/trial.json": "{\"mine\": true}\n", "t01/curve.jsonl": "{\"kind\":\"mine\"}\n" };
    for (const [file, text] of Object.entries(mine)) {
      mkdirSync(join(out, file, ".."), { recursive: true });
      writeFileSync(join(out, file), text);
      const r = await sweep(false);
      assert.is(r.code, 2, r.err);
      assert.match(r.err, `${join(out, file)} exists and was not written by lavisc; pass --force to overwrite it`);
      assert.is(readFileSync(join(out, file), "utf8"), text, `${file} kept`);
      rmSync(join(out, file));
    }
    assert.not.ok(existsSync(join(out, "t01", "trial.json")), "nothing was written");
    for (const [file, text] of Object.entries(mine)) writeFileSync(join(out, file), text);
    assert.is((await sweep(true)).code, 130);
    assert.is(JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).format, "lavisc-sweep");
    assert.not.ok(existsSync(join(out, "t01", "curve.jsonl")), "the user's curve is replaced, not appended to");
    assert.not.ok(existsSync(join(out, "t02", "trial.json")), "the user's trial.json is replaced");
    // The folder is lavisc's now: the same sweep again is a resume, not a refusal.
    assert.is((await sweep(false)).code, 130);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
