// Endless batch streams for iteration-based training (LAVIS's IterLoader / MultiIterLoader used by runner_iter):
// each loader restarts with the next epoch when it runs out, and with several loaders every step draws one by
// its train_dataset_ratios weight from a seeded generator.
import { DataError } from "./dataError.js";
import type { Batch, Loader, LoaderStats } from "./loader.js";
import { createRng, deriveSeed } from "./rng.js";

export interface BatchStream {
  /** The next batch (never ends). */
  next(): Promise<Batch>;
  /** Which loader each call of next() drew from, and the epoch each loader is in. */
  readonly state: { readonly lastLoader: number; readonly epochs: readonly number[] };
  /** Sum of the loaders' counters. */
  stats(): LoaderStats;
}

const MIX_STREAM = 3;

/**
 * @param ratios one weight per loader (normalised here, as MultiIterLoader does), or null for equal weights.
 * @param firstEpoch epoch each loader starts at (resuming a run starts later).
 */
export function createBatchStream(loaders: readonly Loader[], ratios: readonly number[] | null, seed: number, firstEpoch = 0): BatchStream {
  if (!loaders.length) throw new DataError("unsupported", "a batch stream needs at least one loader");
  if (ratios && (ratios.length !== loaders.length || ratios.some((r) => !(r >= 0)) || ratios.every((r) => r === 0))) {
    throw new DataError("unsupported", `train_dataset_ratios must give one non-negative weight per dataset (${loaders.length}), not all 0`);
  }
  for (const l of loaders) if (l.batchesPerEpoch === 0) throw new DataError("unsupported", `a loader of ${l.data.split} has no batches (fewer records than the batch size with drop_last)`);
  const weights = ratios ?? loaders.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = weights.map((_, i) => weights.slice(0, i + 1).reduce((a, b) => a + b, 0) / total);
  const pick = createRng(deriveSeed(MIX_STREAM, seed, firstEpoch));
  const epochs = loaders.map(() => firstEpoch);
  const iterators = loaders.map((l, i) => l.epoch(epochs[i]!)[Symbol.asyncIterator]());
  const state = { lastLoader: 0, epochs };

  async function nextOf(i: number): Promise<Batch> {
    for (;;) {
      const r = await iterators[i]!.next();
      if (!r.done) return r.value;
      epochs[i]!++;
      iterators[i] = loaders[i]!.epoch(epochs[i]!)[Symbol.asyncIterator]();
    }
  }

  return {
    state,
    next() {
      // random.choices(range(n), ratios): first cumulative weight above a uniform draw.
      const u = loaders.length === 1 ? 0 : pick.next();
      const i = Math.max(0, cumulative.findIndex((c) => u < c));
      state.lastLoader = i;
      return nextOf(i);
    },
    stats() {
      const sum: LoaderStats = { waitMs: 0, busyMs: 0, decodeMs: 0, mainThreadMs: 0, batches: 0 };
      for (const l of loaders) for (const k of Object.keys(sum) as (keyof LoaderStats)[]) sum[k] += l.stats[k];
      return sum;
    },
  };
}
