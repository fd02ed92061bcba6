import { diag, type Diagnostic } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";

/**
 * LV5008/LV5011: batch sizes are positive integers, and each local training split fills at least one batch (the
 * train loader drops the last partial one). With run.world_size replicas each one's DistributedSampler shard,
 * ceil(N / world_size) records, is what must fill the batch.
 */
export const batchSizeRule: GraphRule = (ctx) => {
  const run = ctx.graph.run;
  const keys: [string, number][] = [["batch_size_eval", run.batchSizeEval], ["accum_grad_iters", run.accumGradIters]];
  if (!run.evaluate) keys.unshift(["batch_size_train", run.batchSizeTrain]);
  // An absent value is no value: the run spec holds a stand-in for it (0, 1), and its absence is LV5003's to report
  // (or to leave to the error that explains it, when part of the experiment did not load).
  const absent = new Set(ctx.missing.map((m) => m.path));
  for (const [key, value] of keys) {
    if (absent.has(`run.${key}`) || (Number.isInteger(value) && value >= 1)) continue;
    ctx.report(diag("LV5008", ctx.spanFor(["run", key]), { key: `run.${key}`, value }, { path: `run.${key}` }));
  }
  if (run.evaluate || !(run.batchSizeTrain >= 1)) return;
  const world = replicaCount(run.worldSize);
  for (const loader of ctx.nodesOf("loader")) {
    if (loader.attrs["role"] !== "train") continue;
    const dataset = String(loader.attrs["dataset"]), split = String(loader.attrs["split"]);
    const s = ctx.stats(dataset, split);
    if (!s || shardRecords(s.records, world) >= run.batchSizeTrain) continue;
    const args = { split, dataset, count: s.records, batch: run.batchSizeTrain, ...replicaArgs(s.records, world, run.batchSizeTrain) };
    ctx.report(diag("LV5011", ctx.spanFor(["run", "batch_size_train"]), args, { path: "run.batch_size_train" }));
  }
};

const replicaCount = (worldSize: number | null | undefined): number => (Number.isInteger(worldSize) && worldSize! > 1 ? worldSize! : 1);

/** The records of one replica's DistributedSampler shard (it pads the split to a multiple of world_size). */
export const shardRecords = (records: number, world: number): number => Math.ceil(records / world);

/** The largest world_size whose shards still fill one batch (0: none, the split itself is smaller than a batch). */
export function largestWorldFilling(records: number, batch: number): number {
  if (records < batch) return 0;
  return batch <= 1 ? records : Math.ceil(records / (batch - 1)) - 1;
}

/**
 * LV5011 for the records `lavisc run`'s preflight counted (split sizes check and plan could not count: not local
 * yet), before any replica starts; null when every split fills a batch on each replica.
 */
export function shardShortOfBatch(records: Readonly<Record<string, { readonly records: number }>>, world: number, batch: number): Diagnostic | null {
  for (const [key, s] of Object.entries(records)) {
    if (shardRecords(s.records, world) >= batch) continue;
    const [dataset, split] = key.split("/") as [string, string];
    return diag("LV5011", null, { split, dataset, count: s.records, batch, ...replicaArgs(s.records, world, batch) });
  }
  return null;
}

/** LV5011's words for replicas: the shard in the message, a smaller world_size in the hint. */
function replicaArgs(records: number, world: number, batch: number): { shard: string; world: string } {
  if (world === 1) return { shard: "", world: "" };
  const fits = largestWorldFilling(records, batch);
  return {
    shard: `, and with world_size = ${world} each replica's DistributedSampler shard has ceil(${records} / ${world}) = ${shardRecords(records, world)}`,
    world: fits >= 1 ? `, set world_size to ${fits} or fewer,` : "",
  };
}
