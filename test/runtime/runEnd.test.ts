// The end of a training run: the last checkpoint is written once, a stop asked for after the last step is honoured
// (before the test phase) or, during the test phase, said not to be, and a resumed run's restored best is the one the
// test phase reasons about.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { runExperiment, type RunPhase } from "../../src/runtime/index.js";
import type { RunSpec } from "../../src/runtime/runSpec.js";
import { syntheticFactory, tinySpec } from "./synthetic.js";

const root = mkdtempSync(join(tmpdir(), "lavisc-run-end-"));
let n = 0;
const outDir = () => join(root, `run${n++}`);
const data = () => syntheticFactory({ images: 16, size: 16, seed: 1 });
const spec = (over: Partial<RunSpec>) => tinySpec(outDir(), { maxEpoch: 2, ...over });

test("save_last and an epoch save of the same checkpoint_<last> write it once", async () => {
  const saved: string[] = [];
  const r = await runExperiment(spec({ validSplits: [], saveLast: true }), {
    dataFactory: data(), listeners: [{ onCheckpoint: ({ path, reason }) => saved.push(`${basename(path)} ${reason}`) }],
  });
  assert.is(r.status, 0, r.errors.join("; "));
  assert.equal(saved, ["checkpoint_0.json epoch", "checkpoint_1.json last"]);
});

test("a stop asked for during the last epoch's validation writes checkpoint_interrupted before the test phase; resuming from it runs the test phase", async () => {
  const stop = { stopRequested: false };
  const evaluated: string[] = [];
  const phases: RunPhase[] = [];
  const r = await runExperiment(spec({ validSplits: ["val"], saveLast: false }), {
    dataFactory: data(), stopSignal: stop,
    progress: {
      onEval: (e) => { evaluated.push(`${e.split} ${e.epoch}`); if (e.split === "val" && e.epoch === 1) stop.stopRequested = true; },
      onPhase: (p) => phases.push(p),
    },
  });
  assert.is(r.status, 130, r.errors.join("; "));
  assert.equal(evaluated, ["val 0", "val 1"], "the test phase did not run");
  assert.equal(phases, []);
  assert.ok(r.resumePath && basename(r.resumePath) === "checkpoint_interrupted.json" && existsSync(r.resumePath));
  const resumed = await runExperiment(spec({ validSplits: ["val"], saveLast: false, resumeCkptPath: r.resumePath }), { dataFactory: data() });
  assert.is(resumed.status, 0, resumed.errors.join("; "));
  assert.equal(resumed.epochLosses, [], "nothing left to train");
  const whole = await runExperiment(spec({ validSplits: ["val"], saveLast: false }), { dataFactory: data() });
  assert.equal(resumed.metrics["test"], whole.metrics["test"]);
});

test("the test phase is announced before it starts (a stop request from then on lets the run finish)", async () => {
  const order: string[] = [];
  const r = await runExperiment(spec({ validSplits: ["val"], saveLast: false }), {
    dataFactory: data(), progress: { onEval: (e) => order.push(`${e.split} ${e.epoch}`), onPhase: (p) => order.push(p) },
  });
  assert.is(r.status, 0, r.errors.join("; "));
  assert.equal(order, ["val 0", "val 1", "after-training", "test best"]);
});

test("a resumed run with no better validation warns with the restored best, and labels the test with the last epoch", async () => {
  const first = await runExperiment(spec({ maxEpoch: 1, validSplits: ["val"], saveLast: true, testSplits: [] }), { dataFactory: data() });
  assert.is(first.status, 0, first.errors.join("; "));
  // checkpoint_0 alone in a folder of its own (no checkpoint_best beside it), with a best no validation can beat.
  const lone = join(root, "lone");
  mkdirSync(lone);
  const meta = JSON.parse(readFileSync(join(first.outputDir!, "checkpoint_0.json"), "utf8")) as Record<string, unknown>;
  copyFileSync(join(first.outputDir!, meta["weights"] as string), join(lone, meta["weights"] as string));
  writeFileSync(join(lone, "checkpoint_0.json"), JSON.stringify({ ...meta, best: { aggMetrics: 700, epoch: 0 } }));
  const warnings: string[] = [];
  const labels: (number | "best")[] = [];
  const r = await runExperiment(spec({ validSplits: ["val"], saveLast: false, resumeCkptPath: join(lone, "checkpoint_0.json") }), {
    dataFactory: data(), logger: { info: () => undefined, warn: (m) => warnings.push(m) },
    progress: { onEval: (e) => { if (e.split === "test") labels.push(e.epoch); } },
  });
  assert.is(r.status, 0, r.errors.join("; "));
  const warning = warnings.find((w) => /testing the last weights/.test(w)) ?? "";
  assert.match(warning, /no validation of this run improved on the best agg_metrics 700 \(epoch 0\) restored from .*lone[/\\]checkpoint_0\.json, and there is no checkpoint_best\.json beside it/);
  assert.not.match(warning, /agg_metrics 0,/);
  assert.equal(labels, [1], "the last weights are tested as epoch 1, not as 'best'");
});

test.run();
