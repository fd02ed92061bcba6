// The end of a training run: the last checkpoint is written once, and a resumed run's restored best is the one the
// test phase reasons about.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { runExperiment } from "../../src/runtime/index.js";
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
