// Adapts src/runtime/data (annotation reading, processors, prefetching loaders) to the DataFactory the runner uses.
import { createConcatLoader, createLoader, createRetrievalEval, createTextProcessor, readSplit, shutdownPixelWorkers } from "../data/index.js";
import { DEFAULT_DECODE_WORKERS, type RunSpec } from "../runSpec.js";
import type { DataFactory, TrainLoaderOptions } from "./dataFactory.js";
import { trainingSplits, trainingTexts } from "./vocabulary.js";

export interface DataModuleOptions {
  /** Worker threads decoding and augmenting images (default: the data module's default). */
  readonly workers?: number;
  readonly prefetch?: number;
}

export function dataModuleFactory(o: DataModuleOptions = {}): DataFactory & { close(): Promise<void> } {
  const extra = { ...(o.workers !== undefined ? { workers: o.workers } : {}), ...(o.prefetch !== undefined ? { prefetch: o.prefetch } : {}) };
  return {
    replicable: { ...o },
    decodeWorkers: o.workers ?? DEFAULT_DECODE_WORKERS,
    async train(dataset, split, opts) {
      const loader = await createLoader(dataset, split, { batchSize: opts.batchSize, shuffle: true, seed: opts.seed, epoch: 0, dropLast: opts.dropLast, train: true, ...shardOf(opts), ...extra });
      return { batchesPerEpoch: loader.batchesPerEpoch, texts: trainingTexts(loader.data.records), stats: loader.stats, epoch: (e) => loader.epoch(e) };
    },
    async trainConcat(datasets, split, opts) {
      const loader = await createConcatLoader(datasets, split, { batchSize: opts.batchSize, shuffle: true, seed: opts.seed, epoch: 0, dropLast: opts.dropLast, train: true, ...shardOf(opts), ...extra });
      return { batchesPerEpoch: loader.batchesPerEpoch, texts: trainingTexts(loader.data.records), stats: loader.stats, epoch: (e) => loader.epoch(e) };
    },
    async retrievalEval(dataset, split, opts) {
      const r = await createRetrievalEval(dataset, split, { batchSize: opts.batchSize, ...extra });
      return { imageBatches: r.images, texts: r.texts, img2txt: r.img2txt, txt2img: r.txt2img };
    },
    async evalSplit(dataset, split, opts) {
      const shard = opts.shard ? { shard: { ...opts.shard, pad: false } } : {};
      const loader = await createLoader(dataset, split, { batchSize: opts.batchSize, shuffle: false, seed: 0, epoch: 0, dropLast: false, train: false, ...shard, ...extra });
      const d = loader.data;
      // The split's own data beyond batches: VQA answer list and ground truth, class names, every record, a retrieval
      // split's processed texts and image<->text maps.
      const extras: Record<string, unknown> = { records: d.records };
      if (d.answerList) extras["answerList"] = d.answerList;
      if (d.vqaGroundTruth) extras["vqaGroundTruth"] = d.vqaGroundTruth;
      if (d.classnames) extras["classnames"] = d.classnames;
      if (d.retrieval) extras["retrieval"] = d.retrieval;
      return { batches: loader.epoch(0), extras };
    },
    close: () => shutdownPixelWorkers(),
  };
}

function shardOf(opts: TrainLoaderOptions): { shard?: { rank: number; world: number }; augmentSeed?: number } {
  return { ...(opts.shard ? { shard: { ...opts.shard } } : {}), ...(opts.augmentSeed !== undefined ? { augmentSeed: opts.augmentSeed } : {}) };
}

/**
 * The texts the training loaders of `dataModuleFactory` hand the runner, split by split, read from the annotations
 * alone (no images): the train-style records with the train text processor, as `createLoader(..., { train: true })`.
 */
export async function readTrainingTexts(spec: Pick<RunSpec, "datasets" | "trainSplits">): Promise<{ dataset: string; split: string; texts: string[] }[]> {
  const out: { dataset: string; split: string; texts: string[] }[] = [];
  for (const { dataset, split } of trainingSplits(spec)) {
    const data = await readSplit(dataset, split, true, createTextProcessor(dataset.textProcessor.train));
    out.push({ dataset: dataset.name, split, texts: trainingTexts(data.records) });
  }
  return out;
}
