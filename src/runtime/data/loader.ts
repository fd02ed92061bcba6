// Batches of one dataset split for training and evaluation: seeded per-epoch shuffling, LAVIS's processors,
// and a prefetch queue whose batches are decoded and augmented (in worker threads by default) ahead of the model.
import * as tf from "@tensorflow/tfjs";
import { isAbsolute, join } from "node:path";
import { TFJS_DATA_TYPES, type DatasetSpec, type ProcessorSpec } from "../runSpec.js";
import { readSplit, type SampleRecord, type SplitData } from "./annotations.js";
import { DataError } from "./dataError.js";
import { pixelBuilder, type PixelBuilder, type PixelThunk } from "./pixelPool.js";
import { DEFAULT_DECODE_WORKERS } from "../runSpec.js";
import { createImageProcessor } from "./processors/imageProcessors.js";
import { createTextProcessor } from "./processors/textProcessors.js";
import { createRng, deriveSeed, permutation } from "./rng.js";

export interface Batch {
  /** [B, H, W, 3] float32, normalised; the consumer owns it and must dispose it. */
  readonly image: tf.Tensor4D;
  /** Processed caption (caption/retrieval train), question (vqa), sentence (classification); "" for per-image eval records. */
  readonly text: string[];
  /** Contiguous image index (LAVIS `img_ids`): equal ids mark the same image, e.g. positives in retrieval ITC. */
  readonly imageIds: number[];
  /** The annotations' own image ids (eval results are written with them). */
  readonly sourceImageIds: (string | number)[];
  readonly instanceIds: string[];
  /** Record positions in the split (RetrievalEvalDataset's `index`). */
  readonly indices: number[];
  readonly questionIds?: (string | number)[];
  /** VQA: per sample, distinct answers and their weights. */
  readonly answers?: string[][];
  readonly answerWeights?: number[][];
  readonly labels?: number[];
  /** Caption eval: reference captions per image. */
  readonly references?: string[][];
}

export interface LoaderOptions {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  /** Seed of the per-sample augmentation (default `seed`); a data-parallel replica's own (seed + rank). */
  readonly augmentSeed?: number;
  readonly epoch: number;
  readonly dropLast: boolean;
  /** Train-style records and train processors (LAVIS does this for the train split). */
  readonly train: boolean;
  /**
   * One replica's part of every epoch, as torch's DistributedSampler: the epoch's order padded to a multiple of
   * `world` by repeating it from the start, then every `world`-th index from `rank` on. `pad: false` (evaluation):
   * no padding, so every record is evaluated exactly once over all ranks.
   */
  readonly shard?: { readonly rank: number; readonly world: number; readonly pad?: boolean };
  /** Use only the first `limit` records (before shuffling). */
  readonly limit?: number;
  /** Batches prepared ahead of the consumer (default 3). */
  readonly prefetch?: number;
  /** Worker threads for decoding/augmentation; 0 builds batches on the main thread (default 1). */
  readonly workers?: number;
  /** Produces the pixel batches instead of the shared pool (tests use it to observe prefetching). */
  readonly builder?: PixelBuilder;
}

export interface LoaderStats {
  /** Time the consumer spent waiting for a batch that was not ready yet. */
  waitMs: number;
  /** CPU time spent processing images (crop, augmentation, normalisation), wherever it ran. */
  busyMs: number;
  /** Wall time batches spent waiting on image decodes (overlaps other work; near 0 once images are cached). */
  decodeMs: number;
  /**
   * Time the consumer's thread spent getting batches: waiting, processing done on that thread (0 workers) and
   * making the tensors. The trainer's "share of step time spent on data" is this over its wall time.
   */
  mainThreadMs: number;
  batches: number;
}

export interface Loader extends AsyncIterable<Batch> {
  readonly size: number;
  readonly batchesPerEpoch: number;
  readonly data: SplitData;
  readonly stats: LoaderStats;
  /** Iterates another epoch with the same settings (shuffle order and augmentation depend on seed and epoch). */
  epoch(epoch: number): AsyncIterable<Batch>;
}

function chooseProcessor(dataset: DatasetSpec, train: boolean): ProcessorSpec {
  if (!(TFJS_DATA_TYPES as readonly string[]).includes(dataset.dataType)) throw new DataError("unsupported", `dataset ${dataset.name} has data_type "${dataset.dataType}"; the runtime only loads images`);
  const slot = train ? "train" : "eval";
  const spec = dataset.visProcessor[slot];
  if (!spec) throw new DataError("unsupported", `dataset ${dataset.name} has no vis_processor.${slot}; the runtime needs one to batch images`);
  return spec;
}

interface Prepared { readonly indices: number[]; readonly pixels: Float32Array; readonly size: number }
interface Pending { readonly indices: number[]; readonly finish: PixelThunk }

// Separate streams so a shuffle seed can never coincide with a sample's augmentation seed.
const SHUFFLE_STREAM = 1, AUGMENT_STREAM = 2;

/** DistributedSampler's part of `order` for `rank` of `world` (padded by repeating from the start, unless `pad` is false). */
export function shardOrder(order: readonly number[], rank: number, world: number, pad = true): number[] {
  const total = pad ? Math.ceil(order.length / world) * world : order.length;
  const out: number[] = [];
  for (let i = rank; i < total; i += world) out.push(order[i % order.length]!);
  return out;
}

/** Seeded order of `n` records for one epoch (identity when not shuffling). */
export function epochOrder(n: number, shuffle: boolean, seed: number, epoch: number): number[] {
  return shuffle ? permutation(n, createRng(deriveSeed(SHUFFLE_STREAM, seed, epoch))) : Array.from({ length: n }, (_, i) => i);
}

function assemble(records: readonly SampleRecord[], format: SplitData["format"], p: Prepared): Batch {
  const rs = p.indices.map((i) => records[i]!);
  const batch: Batch = {
    image: tf.tensor4d(p.pixels, [rs.length, p.size, p.size, 3], "float32"),
    text: rs.map((r) => r.text),
    imageIds: rs.map((r) => r.imageId),
    sourceImageIds: rs.map((r) => r.sourceImageId),
    instanceIds: rs.map((r) => r.instanceId),
    indices: p.indices,
  };
  const extra: { -readonly [K in keyof Batch]?: Batch[K] } = {};
  if (format === "vqa") {
    extra.questionIds = rs.map((r) => r.questionId ?? r.instanceId);
    if (rs.every((r) => r.answers)) { extra.answers = rs.map((r) => [...r.answers!]); extra.answerWeights = rs.map((r) => [...r.answerWeights!]); }
  }
  if (format === "classification") extra.labels = rs.map((r) => r.label!);
  if (rs.length && rs.every((r) => r.references)) extra.references = rs.map((r) => [...r.references!]);
  return { ...batch, ...extra };
}

/** One dataset's contribution to a loader. */
interface Part { readonly dataset: DatasetSpec; readonly data: SplitData }

/**
 * Builds a loader over already-read splits. Several parts are concatenated as LAVIS's ConcatDataset does for
 * multiple train datasets (one shuffled order over all records, each image through its own dataset's processor);
 * image ids are offset per part so ids of different datasets never collide.
 */
function loaderFromParts(parts: readonly Part[], opts: LoaderOptions): Loader {
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new DataError("unsupported", `batch size must be a positive integer, got ${opts.batchSize}`);
  const format = parts[0]!.data.format;
  const processors = parts.map((p) => chooseProcessor(p.dataset, opts.train));
  const sizes = processors.map((spec) => createImageProcessor(spec).size);
  if (parts.some((p) => p.data.format !== format) || sizes.some((s) => s !== sizes[0])) {
    throw new DataError("unsupported", `cannot concatenate ${parts.map((p, i) => `${p.dataset.name} (${p.data.format}, ${sizes[i]}px)`).join(" and ")}: formats and image sizes must match`);
  }
  const all: SampleRecord[] = [], partOf: number[] = [], paths: string[] = [];
  let idOffset = 0;
  parts.forEach(({ dataset, data }, part) => {
    let maxId = -1;
    for (const r of data.records) {
      all.push(idOffset ? { ...r, imageId: r.imageId + idOffset } : r);
      partOf.push(part);
      paths.push(isAbsolute(r.image) ? r.image : join(dataset.imageRoot, r.image));
      maxId = Math.max(maxId, r.imageId);
    }
    idOffset += maxId + 1;
  });
  const size = opts.limit !== undefined ? Math.min(all.length, Math.max(0, opts.limit)) : all.length;
  const records = all.slice(0, size);
  const shard = opts.shard && opts.shard.world > 1 ? opts.shard : null;
  const perReplica = shard ? shardOrder(Array.from({ length: size }, (_, i) => i), shard.rank, shard.world, shard.pad !== false).length : size;
  const batchesPerEpoch = opts.dropLast ? Math.floor(perReplica / opts.batchSize) : Math.ceil(perReplica / opts.batchSize);
  const depth = Math.max(1, opts.prefetch ?? 3);
  const stats: LoaderStats = { waitMs: 0, busyMs: 0, decodeMs: 0, mainThreadMs: 0, batches: 0 };

  const start = async (indices: number[], epoch: number): Promise<Pending> => ({
    indices,
    // Looked up per batch: after shutdownPixelWorkers() the next batch starts a fresh pool.
    finish: await (opts.builder ?? pixelBuilder(opts.workers ?? DEFAULT_DECODE_WORKERS)).build({
      processors,
      paths: indices.map((i) => paths[i]!),
      seeds: indices.map((i) => deriveSeed(AUGMENT_STREAM, opts.augmentSeed ?? opts.seed, epoch, i)),
      ...(parts.length > 1 ? { processorOf: indices.map((i) => partOf[i]!) } : {}),
    }),
  });

  async function* iterate(epoch: number): AsyncGenerator<Batch> {
    const full = epochOrder(size, opts.shuffle, opts.seed, epoch);
    const order = shard && size > 0 ? shardOrder(full, shard.rank, shard.world, shard.pad !== false) : full;
    const queue: Promise<Pending>[] = [];
    let next = 0;
    const refill = (): void => {
      while (queue.length < depth && next < batchesPerEpoch) {
        const p = start(order.slice(next * opts.batchSize, (next + 1) * opts.batchSize), epoch);
        p.catch(() => undefined); // surfaced when awaited; avoids unhandled rejections if the consumer stops early
        queue.push(p);
        next++;
      }
    };
    refill();
    while (queue.length) {
      const windowStart = performance.now();
      const pending = await queue.shift()!;
      stats.waitMs += performance.now() - windowStart;
      refill();
      const r = pending.finish();
      stats.busyMs += r.busyMs;
      stats.decodeMs += r.decodeMs;
      stats.batches++;
      const batch = assemble(records, format, { indices: pending.indices, pixels: r.pixels, size: r.size });
      stats.mainThreadMs += performance.now() - windowStart;
      yield batch;
    }
  }

  const data: SplitData = parts.length === 1 ? { ...parts[0]!.data, records } : { ...parts[0]!.data, records, retrieval: undefined };
  return {
    size, batchesPerEpoch, data, stats,
    epoch: (e) => ({ [Symbol.asyncIterator]: () => iterate(e) }),
    [Symbol.asyncIterator]: () => iterate(opts.epoch),
  };
}

/** A loader over already-read split data (createLoader and the eval helpers use it). */
export function loaderFromSplit(dataset: DatasetSpec, data: SplitData, opts: LoaderOptions): Loader {
  return loaderFromParts([{ dataset, data }], opts);
}

async function readForLoader(dataset: DatasetSpec, split: string, train: boolean): Promise<SplitData> {
  return readSplit(dataset, split, train, createTextProcessor(train ? dataset.textProcessor.train : dataset.textProcessor.eval));
}

/** Reads (downloading annotations if needed) one split and returns its loader. */
export async function createLoader(dataset: DatasetSpec, split: string, opts: LoaderOptions): Promise<Loader> {
  return loaderFromSplit(dataset, await readForLoader(dataset, split, opts.train), opts);
}

/** The train loader over every dataset that has `split`, concatenated as LAVIS does without train_dataset_ratios. */
export async function createConcatLoader(datasets: readonly DatasetSpec[], split: string, opts: LoaderOptions): Promise<Loader> {
  const having = datasets.filter((d) => d.splits.some((s) => s.split === split));
  if (!having.length) throw new DataError("missing-file", `no dataset has a "${split}" split`);
  const parts: Part[] = [];
  for (const dataset of having) parts.push({ dataset, data: await readForLoader(dataset, split, opts.train) });
  return loaderFromParts(parts, opts);
}
