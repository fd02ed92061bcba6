// What the training loop needs from the data layer. Tests inject synthetic factories; the CLI wires src/runtime/data.
import type { DatasetSpec } from "../runSpec.js";
import type { RetrievalEvalData, TrainBatch, EvalBatch } from "../models/model.js";
import { Rng } from "./rng.js";

export interface TrainLoaderLike {
  readonly batchesPerEpoch: number;
  /** The split's processed texts (used to build a vocabulary for models trained from scratch). */
  readonly texts?: readonly string[];
  /** Cumulative time the consumer waited on the loader (if the loader measures it). */
  readonly stats?: { readonly waitMs: number };
  /** Batches of one epoch; the order depends only on (seed, epoch), which makes resuming exact. The consumer disposes `image`. */
  epoch(e: number): AsyncIterable<TrainBatch>;
}

export interface TrainLoaderOptions {
  readonly batchSize: number;
  /** The shuffle order's seed (the same on every replica). */
  readonly seed: number;
  /** The augmentation's seed (default `seed`): seed + rank on data-parallel replicas. */
  readonly augmentSeed?: number;
  readonly dropLast: boolean;
  /** This replica's shard of every epoch (DistributedSampler), when `run.world_size` > 1. */
  readonly shard?: { readonly rank: number; readonly world: number };
}

export interface DataFactory {
  train(dataset: DatasetSpec, split: string, opts: TrainLoaderOptions): Promise<TrainLoaderLike>;
  /** One loader over several datasets' records of `split` (LAVIS's ConcatDataset; runner_base with several datasets). */
  trainConcat?(datasets: readonly DatasetSpec[], split: string, opts: TrainLoaderOptions): Promise<TrainLoaderLike>;
  /**
   * How a replica thread builds the same factory (`dataModuleFactory`'s options); absent: the factory cannot shard
   * or be rebuilt in a worker, so `run.world_size` > 1 is refused.
   */
  readonly replicable?: { readonly workers?: number; readonly prefetch?: number };
  /** Image-decoding worker threads its loaders use (0: the main thread); absent: not known (a test's factory). */
  readonly decodeWorkers?: number;
  retrievalEval(dataset: DatasetSpec, split: string, opts: { readonly batchSize: number }): Promise<RetrievalEvalData>;
  /**
   * In-order, unaugmented batches of an evaluation split, plus the split's extra data (see EvalContext). `shard`:
   * only rank r's records r, r + N, ... (a DistributedSampler without padding); the extras stay the whole split's.
   */
  evalSplit?(dataset: DatasetSpec, split: string, opts: { readonly batchSize: number; readonly shard?: { readonly rank: number; readonly world: number } }): Promise<{ batches: AsyncIterable<EvalBatch>; extras: Readonly<Record<string, unknown>> }>;
}

export interface NamedLoader {
  readonly name: string;
  readonly loader: TrainLoaderLike;
}

/**
 * The batches of one (inner) epoch. One loader: its epoch in order. Several loaders: each step draws a loader with
 * probability ∝ its ratio (LAVIS MultiIterLoader, `random.choices`) from a generator seeded by (seed, epoch), and each
 * loader cycles through its own epochs.
 */
export class BatchSource {
  private readonly cursors = new Map<string, { epoch: number; it: AsyncIterator<TrainBatch> | null }>();

  constructor(private readonly loaders: readonly NamedLoader[], private readonly ratios: readonly number[], private readonly seed: number) {}

  stepsPerEpoch(): number {
    return this.loaders.reduce((n, l) => n + l.loader.batchesPerEpoch, 0);
  }

  /** Yields `steps` batches for `epoch`; `globalEpochStart` says where a continuing (runner_iter) stream starts. */
  async *batches(epoch: number, steps: number, continuing: boolean): AsyncGenerator<TrainBatch> {
    if (this.loaders.length === 1 && !continuing) {
      let n = 0;
      for await (const b of this.loaders[0]!.loader.epoch(epoch)) {
        if (n++ >= steps) {
          b.image.dispose();
          break;
        }
        yield b;
      }
      return;
    }
    const pick = Rng.derive(this.seed, epoch, 0x3171);
    for (let i = 0; i < steps; i++) {
      const which = this.loaders.length === 1 ? 0 : pick.categorical(this.ratios);
      yield await this.next(this.loaders[which]!);
    }
  }

  private async next(l: NamedLoader): Promise<TrainBatch> {
    let c = this.cursors.get(l.name);
    if (!c) this.cursors.set(l.name, (c = { epoch: 0, it: null }));
    for (let tries = 0; tries < 2; tries++) {
      if (!c.it) c.it = l.loader.epoch(c.epoch)[Symbol.asyncIterator]();
      const r = await c.it.next();
      if (!r.done) return r.value;
      c.it = null;
      c.epoch++;
    }
    throw new Error(`training data ${l.name} yields no batches`);
  }

  /** Positions a continuing stream after `consumed` batches (runner_iter resume) by replaying and discarding them. */
  async skip(epoch: number, steps: number): Promise<void> {
    for await (const b of this.batches(epoch, steps, true)) b.image.dispose();
  }
}
