// How long a training run is, in steps, and when that length is beyond counting: a step counter (a JavaScript
// number) counts exactly up to 2^53 - 1, and a run longer than that never ends; its lr schedule, checkpoints and
// log cannot be computed either (`max_epoch = 1e308` gave `total: Infinity` and `nan` learning rates).
import type { RunSpec } from "../runtime/runSpec.js";

export const MAX_STEPS = Number.MAX_SAFE_INTEGER;

/** Records of every (dataset, train split) pair the run trains on, by `dataset/split` (null: not counted). */
export function trainRecords(run: RunSpec, recordsOf: (dataset: RunSpec["datasets"][number], split: string) => number | null): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const ds of run.datasets) {
    for (const split of run.trainSplits) if (ds.splits.some((s) => s.split === split)) out[`${ds.name}/${split}`] = recordsOf(ds, split);
  }
  return out;
}

/**
 * runner_base's steps per epoch: RunnerBase concatenates a split's datasets into one loader, which drops the last
 * partial batch; with replicas each takes ceil(N / world) records (DistributedSampler pads). Null: a count unknown.
 */
export function stepsPerEpoch(run: RunSpec, records: Readonly<Record<string, number | null>>): number | null {
  const counts = Object.values(records);
  if (!counts.length || counts.some((c) => c === null)) return null;
  return fullBatches(run, (counts as number[]).reduce((a, c) => a + c, 0));
}

/** The whole batches of one replica's share of `records` (drop_last; DistributedSampler pads to ceil(N / world)). */
function fullBatches(run: RunSpec, records: number): number {
  return Math.floor(Math.ceil(records / (run.worldSize ?? 1)) / run.batchSizeTrain);
}

/**
 * One pass of runner_iter's train loader, whose `epoch` names its evaluations (../runtime/innerEpochs.ts loaderEpoch),
 * as the run counts it (runtime/train/runSetup.ts batchesPerPass): one loader per training dataset, each
 * floor(ceil(N / world) / batch_size_train) batches (drop_last; DistributedSampler pads), a pass their sum.
 * "no epoch": several datasets sampled by train_dataset_ratios, a MultiIterLoader, whose epoch RunnerIter reads as 0.
 */
export type LoaderPass =
  | { readonly kind: "batches"; readonly batches: number }
  | { readonly kind: "no epoch" }
  | { readonly kind: "unknown"; readonly why: string };

export function loaderPass(run: RunSpec, records: Readonly<Record<string, number | null>>): LoaderPass {
  const counts = Object.entries(records);
  if (counts.length > 1 && run.trainDatasetRatios) return { kind: "no epoch" };
  if (!counts.length) return { kind: "unknown", why: "no dataset provides a training split" };
  const uncounted = counts.filter(([, n]) => n === null).map(([k]) => k);
  if (uncounted.length) return { kind: "unknown", why: `the records of ${uncounted.join(", ")} are not counted (see steps)` };
  return { kind: "batches", batches: counts.reduce((sum, [, n]) => sum + fullBatches(run, n!), 0) };
}

export interface LengthBeyond {
  readonly key: "max_epoch" | "max_iters";
  readonly value: number;
  /** The steps in words: `at least 1e+308`, `about 1.20e+16`, `more than 1.8e+308`. */
  readonly steps: string;
}

/** The training length when it is beyond MAX_STEPS (null: it is not, or the run does not train). */
export function lengthBeyondCounting(run: RunSpec, perEpoch: number | null): LengthBeyond | null {
  if (run.evaluate) return null;
  if (run.runner === "runner_iter") {
    // Whole inner epochs of iters_per_inner_epoch (run.maxEpoch of them, ../runtime/innerEpochs.ts), at least max_iters.
    const iters = Math.max(run.maxIters ?? 0, run.maxEpoch * (run.itersPerInnerEpoch ?? 0));
    return iters > MAX_STEPS ? { key: "max_iters", value: run.maxIters ?? iters, steps: roughly(iters) } : null;
  }
  if (perEpoch === null || perEpoch < 1) return run.maxEpoch > MAX_STEPS ? { key: "max_epoch", value: run.maxEpoch, steps: `at least ${run.maxEpoch}` } : null;
  const total = perEpoch * run.maxEpoch;
  return total > MAX_STEPS ? { key: "max_epoch", value: run.maxEpoch, steps: roughly(total) } : null;
}

const roughly = (n: number): string => (Number.isFinite(n) ? `about ${n.toPrecision(3)}` : `more than ${Number.MAX_VALUE.toPrecision(2)}`);
