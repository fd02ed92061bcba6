// End to end: `lavisc run projects/fashion_mnist/classification.lv` on real Fashion-MNIST (Debian's
// dataset-fashion-mnist), shortened to one epoch without validation, must beat the trivial baseline by far.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { repoRoot } from "../harness/repoRoot.js";
import { FASHION_MNIST, testWith } from "../harness/requires.js";

/** Measured: one epoch (187 steps) gives test acc 0.657; chance and the most frequent class are about 0.1. */
const MIN_ACC = 0.5;

testWith(test, FASHION_MNIST)("fashion_mnist/classification.lv trains and beats the most-frequent-class baseline on the test split", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-fmnist-cls-"));
  try {
    const host = memoryHost({}, repoRoot());
    const out = join(tmp, "out");
    const code = await runCli([
      "run", join(repoRoot(), "projects/fashion_mnist/classification.lv"), "--quiet", "--data-root", join(tmp, "data"),
      "--set", `recipe.output_dir=${JSON.stringify(out)}`, "--set", "recipe.max_epoch=1", "--set", "recipe.valid_splits=[]",
    ], host);
    assert.is(code, 0, host.err);
    const printed = /^test: agg_metrics ([\d.]+), acc ([\d.]+)$/m.exec(host.out);
    assert.ok(printed, host.out);
    const acc = Number(printed![2]);

    const [job] = readdirSync(out);
    const evalLines = readFileSync(join(out, job!, "evaluate.txt"), "utf8").trim().split("\n");
    assert.is(evalLines.length, 1);
    const logged = JSON.parse(evalLines[0]!) as { test: { agg_metrics: number; acc: number } };
    assert.ok(Math.abs(logged.test.acc - acc) < 1e-4);
    assert.is(logged.test.agg_metrics, logged.test.acc);

    // The result file is LAVIS's: one record per test image; the accuracy is recomputed from it.
    const records = JSON.parse(readFileSync(join(out, job!, "result", "test_epoch0.json"), "utf8")) as { instance_id: string; prediction: number; target: number }[];
    assert.is(records.length, 1000);
    assert.is(new Set(records.map((r) => r.instance_id)).size, 1000);
    assert.ok(Math.abs(records.filter((r) => r.prediction === r.target).length / 1000 - acc) < 1e-9);
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.target, (counts.get(r.target) ?? 0) + 1);
    const baseline = Math.max(...counts.values()) / records.length;
    assert.ok(baseline < 0.15, `test split is not balanced: ${baseline}`);
    // A model that predicts one class scores the baseline; demand several classes predicted and well above it.
    assert.ok(new Set(records.map((r) => r.prediction)).size >= 5);
    console.log(`fashion-mnist classification, 1 epoch: test acc ${acc.toFixed(4)} (most-frequent-class baseline ${baseline.toFixed(3)})`);
    assert.ok(acc > MIN_ACC, `test acc ${acc} is not above ${MIN_ACC}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
