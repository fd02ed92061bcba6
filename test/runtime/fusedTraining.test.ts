import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runExperiment } from "../../src/runtime/index.js";
import { fusedLinearSwitch } from "../../src/runtime/backend/fusedLinear.js";
import { fusedAttentionSwitch } from "../../src/runtime/backend/fusedAttention.js";
import { syntheticFactory, tinySpec } from "./synthetic.js";

// The fused linear and attention kernels (wasm) inside a whole training run of blip_retrieval (ITC with momentum
// encoders and queues, ITM with hard negatives, AdamW, evaluation): every epoch's loss and every metric are those of
// the run with the tf-ops path, to the last bit.

async function run(fused: boolean): Promise<{ losses: number[]; metrics: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-fused-"));
  fusedLinearSwitch.enabled = fused;
  fusedAttentionSwitch.enabled = fused;
  try {
    const schedule = { name: "linear_warmup_cosine_lr" as const, initLr: 2e-3, minLr: 1e-5, warmupLr: 1e-4, warmupSteps: 3, decayRate: null, maxEpoch: 3 };
    const r = await runExperiment(tinySpec(dir, { maxEpoch: 3, schedule, validSplits: [], saveLast: false }), {
      dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }),
      now: () => new Date(2024, 0, 18, 14, 37),
    });
    assert.is(r.status, 0, r.errors.join("; "));
    return { losses: r.epochLosses, metrics: r.metrics };
  } finally {
    fusedLinearSwitch.enabled = true;
    fusedAttentionSwitch.enabled = true;
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a training run with the fused kernels gives the tf-ops path's losses and metrics exactly", async () => {
  const ops = await run(false);
  const fused = await run(true);
  assert.equal(fused.losses, ops.losses);
  assert.equal(fused.metrics, ops.metrics);
});

test.run();
