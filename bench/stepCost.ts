// What a training step costs as a function of its batch size, and what that allows data-parallel replicas on this
// machine: the step of bench/retrievalStep.ts at several batch sizes, in one process, in alternating blocks (the
// host's speed drifts, and alternating cancels most of it), CPU time of all the process's threads per step (the
// engine's helpers included: on a machine with as many cores as replicas they take a replica's core).
import type { RetrievalStep, StepBatch } from "./retrievalStep.js";

export interface BatchCost {
  readonly batch: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

export interface StepCost {
  readonly rows: readonly BatchCost[];
  /** Least-squares fit of CPU per step = fixedMs + perSampleMs * batch. */
  readonly fixedMs: number;
  readonly perSampleMs: number;
}

/** `rounds` rounds of `blockSteps` steps at each batch size in turn, after `warmup` steps at each. */
export function measureStepCost(step: RetrievalStep, sizes: readonly number[], rounds = 15, blockSteps = 8, warmup = 10): StepCost {
  const batches = new Map<number, StepBatch>(sizes.map((b) => [b, step.batch(b)]));
  let iteration = 0;
  for (const b of sizes) for (let i = 0; i < warmup; i++) step.step(batches.get(b)!, iteration++);
  const sums = new Map(sizes.map((b) => [b, { wall: 0, cpu: 0 }]));
  for (let r = 0; r < rounds; r++) {
    for (const b of sizes) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < blockSteps; i++) step.step(batches.get(b)!, iteration++);
      const c = process.cpuUsage(c0);
      const s = sums.get(b)!;
      s.wall += performance.now() - t0;
      s.cpu += (c.user + c.system) / 1000;
    }
  }
  const n = rounds * blockSteps;
  const rows = sizes.map((b) => ({ batch: b, wallMs: sums.get(b)!.wall / n, cpuMs: sums.get(b)!.cpu / n }));
  return { rows, ...linearFit(rows.map((r) => [r.batch, r.cpuMs] as const)) };
}

/** Ordinary least squares y = fixedMs + perSampleMs * x. */
export function linearFit(points: readonly (readonly [number, number])[]): { fixedMs: number; perSampleMs: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const perSampleMs = sxy / sxx;
  return { fixedMs: my - perSampleMs * mx, perSampleMs };
}

/**
 * The most `world` replicas on `world` cores can speed up a step of `batch` samples (batch / world each), if the
 * replicas themselves cost nothing (no reduction, no gathering, no waiting): one replica's CPU per step at its share
 * is then the step's wall time, against one process's wall time at the whole batch.
 */
export function replicaBound(cost: StepCost, batch: number, world: number): number | null {
  const whole = cost.rows.find((r) => r.batch === batch);
  const share = cost.rows.find((r) => r.batch === batch / world);
  return whole && share ? whole.wallMs / share.cpuMs : null;
}

/**
 * The largest fixed cost per step (at the fitted cost per sample) with which `world` replicas could reach `target`
 * times one replica's speed on a step of `batch` samples: (F + B v) / (F + B v / W) >= s  <=>  F <= B v (1 - s / W) / (s - 1).
 */
export function fixedCostFor(target: number, cost: StepCost, batch: number, world: number): number {
  return (batch * cost.perSampleMs * (1 - target / world)) / (target - 1);
}

/** The row bench:runtime prints. */
export function describeStepCost(cost: StepCost, batch: number, world: number, target: number): string {
  const rows = cost.rows.map((r) => `batch ${r.batch} ${r.cpuMs.toFixed(1)} ms (wall ${r.wallMs.toFixed(1)})`).join(", ");
  const bound = replicaBound(cost, batch, world);
  const boundText = bound === null ? "" : `; ${world} replicas on ${world} cores, with no cost of their own, could run batch ${batch} at most ${bound.toFixed(2)}x as fast as one (one replica's CPU per step at batch ${batch / world} against one process's wall time at batch ${batch})`;
  return (
    `step cost by batch size (CPU of all threads per step, alternating blocks): ${rows}; fit ${cost.fixedMs.toFixed(1)} ms per step + ${cost.perSampleMs.toFixed(2)} ms per sample` +
    `${boundText}; ${target}x needs a fixed cost of at most ${fixedCostFor(target, cost, batch, world).toFixed(1)} ms per step`
  );
}
