import { test } from "uvu";
import * as assert from "uvu/assert";
import { describeStepCost, fixedCostFor, linearFit, replicaBound, type StepCost } from "../../bench/stepCost.js";

// bench:runtime's step-cost row: the arithmetic behind "what replicas can gain here". The measured numbers are the
// benchmark's; here, costs made up so that the answers are known.
const cost = (fixedMs: number, perSampleMs: number, sizes: number[], helperMs = 0): StepCost => ({
  rows: sizes.map((b) => ({ batch: b, cpuMs: fixedMs + perSampleMs * b, wallMs: fixedMs + perSampleMs * b - helperMs })),
  fixedMs,
  perSampleMs,
});

test("linearFit recovers a line, and the least-squares line of noisy points", () => {
  const exact = linearFit([[2, 15], [4, 20], [8, 30], [16, 50]]);
  assert.ok(Math.abs(exact.fixedMs - 10) < 1e-9 && Math.abs(exact.perSampleMs - 2.5) < 1e-9, JSON.stringify(exact));
  // Sxy = 3, Sxx = 5 around (1.5, 2.5): slope 0.6, intercept 2.5 - 0.6 * 1.5.
  const noisy = linearFit([[0, 2], [1, 1], [2, 4], [3, 3]]);
  assert.ok(Math.abs(noisy.perSampleMs - 0.6) < 1e-9 && Math.abs(noisy.fixedMs - 1.6) < 1e-9, JSON.stringify(noisy));
});

test("replicaBound: the whole batch's wall time over one replica's CPU at its share", () => {
  // No fixed cost: two replicas halve the step exactly.
  assert.is(replicaBound(cost(0, 2, [4, 8]), 8, 2), 2);
  // A fixed cost as large as the per-sample work of the whole batch: (16 + 16) / (16 + 8).
  assert.ok(Math.abs(replicaBound(cost(16, 2, [4, 8]), 8, 2)! - 32 / 24) < 1e-12);
  // Helper threads that overlap the step at world_size 1 make one process's wall time shorter than its CPU time.
  assert.ok(Math.abs(replicaBound(cost(16, 2, [4, 8], 4), 8, 2)! - 28 / 24) < 1e-12);
  assert.is(replicaBound(cost(10, 2, [2, 8]), 8, 2), null); // batch 4 not measured
});

test("fixedCostFor: the largest fixed cost that still allows the target", () => {
  const v = 2.6;
  const f = fixedCostFor(1.6, { rows: [], fixedMs: 0, perSampleMs: v }, 8, 2);
  assert.ok(Math.abs((f + 8 * v) / (f + 4 * v) - 1.6) < 1e-12, String(f));
  assert.ok(Math.abs(f - (8 * v * 0.2) / 0.6) < 1e-12);
  // Four replicas on a batch of 8 reaching 3x.
  const f4 = fixedCostFor(3, { rows: [], fixedMs: 0, perSampleMs: v }, 8, 4);
  assert.ok(Math.abs((f4 + 8 * v) / (f4 + 2 * v) - 3) < 1e-12, String(f4));
});

test("describeStepCost names the fit, the bound and the fixed cost the goal needs", () => {
  const line = describeStepCost(cost(10, 2.5, [2, 4, 8, 16]), 8, 2, 1.6);
  assert.match(line, "fit 10.0 ms per step + 2.50 ms per sample");
  assert.match(line, "at most 1.50x as fast"); // (10 + 8 * 2.5) / (10 + 4 * 2.5)
  assert.match(line, "1.6x needs a fixed cost of at most 6.7 ms per step");
});

test.run();
