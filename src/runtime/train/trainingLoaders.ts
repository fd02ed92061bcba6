// The training loaders of a run, as LAVIS builds them. runner_base concatenates the datasets of each training split
// (ConcatDataset: one shuffled pass over every record per epoch, so a batch may mix datasets, each image through its
// own dataset's processors); runner_iter keeps one loader per dataset, which the BatchSource samples by
// train_dataset_ratios (MultiIterLoader).
import type { RunSpec, DatasetSpec } from "../runSpec.js";
import type { DataFactory, NamedLoader, TrainLoaderOptions } from "./dataFactory.js";
import { trainingSplits } from "./vocabulary.js";
import { rankSeed } from "./rng.js";

/**
 * `shard`: this replica's part of every epoch (run.world_size > 1): the order is run.seed's on every rank
 * (DistributedSampler), the augmentation rank r's own (seed + r, LAVIS's setup_seeds).
 */
export async function trainingLoaders(spec: RunSpec, data: DataFactory, shard?: TrainLoaderOptions["shard"]): Promise<NamedLoader[]> {
  const opts: TrainLoaderOptions = {
    batchSize: spec.batchSizeTrain, seed: spec.seed, dropLast: true,
    ...(shard ? { shard, augmentSeed: rankSeed(spec.seed, shard.rank) } : {}),
  };
  const pairs = trainingSplits(spec);
  if (spec.runner === "runner_iter" || !data.trainConcat) {
    const out: NamedLoader[] = [];
    for (const { dataset, split } of pairs) out.push({ name: dataset.name, loader: await data.train(dataset, split, opts) });
    return out;
  }
  const bySplit = new Map<string, DatasetSpec[]>();
  for (const { dataset, split } of pairs) bySplit.set(split, [...(bySplit.get(split) ?? []), dataset]);
  const out: NamedLoader[] = [];
  for (const [split, datasets] of bySplit) {
    const loader = datasets.length === 1 ? await data.train(datasets[0]!, split, opts) : await data.trainConcat(datasets, split, opts);
    out.push({ name: datasets.map((d) => d.name).join("+"), loader });
  }
  return out;
}
