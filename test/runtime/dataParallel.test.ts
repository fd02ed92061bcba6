// run.world_size = N on the tfjs engine: N data-parallel replicas in worker threads, with DDP's semantics. On the
// quickstart classification data, 2 replicas x 4 images take the same 8 images per step as 1 replica x 8
// (DistributedSampler's interleaved shards of the same epoch order), so the averaged losses must match up to float
// rounding; and a second 2-replica run must give the same losses bit for bit (gradients reduced in a fixed order).
// Rank r draws its random streams from seed + r (LAVIS's setup_seeds): that comparison holds because the
// classification project draws nothing per replica (blip_image_eval for training: no augmentation; the tiny classifier's
// dropout rates are 0, which dropoutReplicas.test.ts sets above 0, and it samples nothing). blip_retrieval
// (clip_image_train augmentation, ITM's sampled negatives) is checked for the per-rank streams, their checkpointing and
// determinism instead.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { pathToFileURL } from "node:url";
import { nodeHost } from "../../src/cli/host.js";
import { checkFile } from "../../src/index.js";
import { lowerToGraph, runSpecOf } from "../../src/compiler/lower.js";
import { prepareDataset } from "../../src/data/index.js";
import { runExperiment, type RunResult } from "../../src/runtime/train/runExperiment.js";
import { replicaThreads } from "../../src/runtime/replicas/replicaSet.js";
import { downloadsFirst } from "../../src/runtime/replicas/downloadsFirst.js";
import { resolveStorage } from "../../src/runtime/data/cache.js";
import { dataModuleFactory } from "../../src/runtime/train/dataModuleFactory.js";
import { createLoader, epochOrder, shardOrder } from "../../src/runtime/data/loader.js";
import { decodeSafetensors } from "../../src/runtime/checkpoint/safetensors.js";
import type { RunSpec } from "../../src/runtime/runSpec.js";
import { stepRng, type RngState } from "../../src/runtime/train/rng.js";
import { trainingLoaders } from "../../src/runtime/train/trainingLoaders.js";
import type { DataFactory, TrainLoaderOptions } from "../../src/runtime/train/dataFactory.js";
import { repoRoot } from "../harness/repoRoot.js";

/** Relative tolerance on each step's loss between 2x4 and 1x8: float32 sums in another order, nothing more. */
const TOLERANCE = 1e-4;

const tmp = mkdtempSync(join(tmpdir(), "lavisc-ddp-"));
const dataRoot = join(tmp, "data");
prepareDataset("shapes", { root: dataRoot });

function spec(project: string, over: Partial<RunSpec>, root = dataRoot): RunSpec {
  const checked = checkFile(join(repoRoot(), "projects/quickstart", project), nodeHost());
  const base = runSpecOf(lowerToGraph(checked.resolved!, { dataRoot: root }).graph);
  return { ...base, backend: "wasm", maxEpoch: 1, validSplits: [], testSplits: [], saveLast: true, logFreq: 1, ...over };
}

/** Every step's loss as log.txt's per-step lines do not exist: read them from the progress reporter. */
async function losses(s: RunSpec, stopAfterSteps?: number): Promise<{ result: RunResult; steps: number[] }> {
  const data = dataModuleFactory({ workers: 0 });
  const steps: number[] = [];
  const stop = { stopRequested: false };
  let done = 0;
  const progress = { onLosses: (r: { readonly read: readonly { readonly loss: number }[] }) => steps.push(...r.read.map((x) => x.loss)), onStep: () => void (stopAfterSteps !== undefined && ++done >= stopAfterSteps && (stop.stopRequested = true)) };
  try {
    const result = await runExperiment(s, { dataFactory: data, progress, stopSignal: stop, now: () => new Date(2026, 0, 1) });
    return { result, steps };
  } finally {
    await data.close();
  }
}

test("DistributedSampler's shards: padded by repeating from the start, rank r takes r, r+N, ...", () => {
  assert.equal(shardOrder([4, 2, 0, 1, 3], 0, 2), [4, 0, 3]);
  assert.equal(shardOrder([4, 2, 0, 1, 3], 1, 2), [2, 1, 4]);
  assert.equal(shardOrder([5, 6, 7], 2, 4), [7]);
});

test("2 replicas x 4 train as 1 replica x 8 (losses within 1e-4), deterministically, and only rank 0 writes", async () => {
  const common = { maxEpoch: 1 };
  const one = await losses(spec("classification_shapes.lv", { ...common, batchSizeTrain: 8, worldSize: 1, outputDir: join(tmp, "one") }));
  assert.is(one.result.status, 0, one.result.errors.join("; "));
  const two = await losses(spec("classification_shapes.lv", { ...common, batchSizeTrain: 4, worldSize: 2, outputDir: join(tmp, "two") }));
  assert.is(two.result.status, 0, two.result.errors.join("; "));
  assert.ok(one.steps.length >= 20, `${one.steps.length} steps`);
  // DistributedSampler pads an odd-sized split to a multiple of 2, so the 2-replica epoch may have one more step.
  assert.ok(two.steps.length - one.steps.length <= 1 && two.steps.length >= one.steps.length, `${two.steps.length} vs ${one.steps.length} steps`);
  one.steps.forEach((ref, i) => {
    const l = two.steps[i]!;
    assert.ok(Math.abs(l - ref) <= TOLERANCE * Math.max(1, Math.abs(ref)), `step ${i}: 2x4 ${l} vs 1x8 ${ref}`);
  });
  assert.ok(one.steps.some((l, i) => l !== one.steps[0] && i > 0), "the losses move");
  console.log(`max |2x4 - 1x8| step loss difference: ${Math.max(...one.steps.map((l, i) => Math.abs(l - two.steps[i]!))).toExponential(2)} over ${one.steps.length} steps`);

  const again = await losses(spec("classification_shapes.lv", { ...common, batchSizeTrain: 4, worldSize: 2, outputDir: join(tmp, "again") }));
  assert.equal(again.steps, two.steps, "two 2-replica runs give identical losses");

  // One job folder, written by rank 0: log.txt with one epoch line and the single-replica checkpoint format.
  const [job] = readdirSync(join(tmp, "two"));
  const dir = join(tmp, "two", job!);
  const ckpts = readdirSync(dir).filter((f) => f.startsWith("checkpoint")).sort();
  assert.is(ckpts.length, 2, ckpts.join(", "));
  assert.ok(ckpts.includes("checkpoint_0.json") && ckpts.some((f) => /^checkpoint_0\..*safetensors$/.test(f)), ckpts.join(", "));
  const meta = JSON.parse(readFileSync(join(dir, "checkpoint_0.json"), "utf8")) as Record<string, unknown>;
  const oneMeta = JSON.parse(readFileSync(join(tmp, "one", readdirSync(join(tmp, "one"))[0]!, "checkpoint_0.json"), "utf8")) as Record<string, unknown>;
  // The single-replica format, plus the other ranks' step RNG states.
  assert.equal(Object.keys(meta).filter((k) => k !== "replicaRng").sort(), Object.keys(oneMeta).sort());
  assert.is((meta["replicaRng"] as unknown[]).length, 1);
  assert.is(readFileSync(join(dir, "log.txt"), "utf8").match(/"train_loss"/g)?.length, 1);
});

test("a stop request reaches every replica at the same step, and resuming at world_size 2 gives the same later losses", async () => {
  const two = { maxEpoch: 2, batchSizeTrain: 8, worldSize: 2, saveLast: false };
  const full = await losses(spec("classification_shapes.lv", { ...two, outputDir: join(tmp, "full") }));
  assert.is(full.result.status, 0, full.result.errors.join("; "));
  const stopped = await losses(spec("classification_shapes.lv", { ...two, outputDir: join(tmp, "stopped") }), 16);
  assert.is(stopped.result.status, 130, stopped.result.errors.join("; "));
  assert.ok(stopped.steps.length > 12 && stopped.steps.length < full.steps.length, `${stopped.steps.length} steps before the stop`);
  const resumed = await losses(spec("classification_shapes.lv", { ...two, outputDir: join(tmp, "resumed"), resumeCkptPath: stopped.result.resumePath }));
  assert.is(resumed.result.status, 0, resumed.result.errors.join("; "));
  assert.equal([...stopped.steps, ...resumed.steps], full.steps);
});

test("a replica that fails (an unreadable image in its shard) ends the run with its message, never a hang", async () => {
  const own = mkdtempSync(join(tmpdir(), "lavisc-ddp-fault-"));
  try {
    const root = join(own, "data");
    prepareDataset("shapes", { root });
    const faulty = spec("classification_shapes.lv", { batchSizeTrain: 4, worldSize: 2, outputDir: join(own, "out") }, root);
    const dataset = faulty.datasets[0]!;
    const loader = await createLoader(dataset, "train", { batchSize: 4, shuffle: true, seed: faulty.seed, epoch: 0, dropLast: true, train: true, workers: 0 });
    // Rank 1's sixth batch of epoch 0: a record rank 0 never reads this epoch.
    const order = epochOrder(loader.size, true, faulty.seed, 0);
    const rank1 = shardOrder(order, 1, 2), rank0 = new Set(shardOrder(order, 0, 2));
    const victimRecord = rank1.slice(20, 24).find((i) => !rank0.has(i))!;
    const record = loader.data.records[victimRecord]!;
    const victim = isAbsolute(record.image) ? record.image : join(dataset.imageRoot, record.image);
    const sameImage = loader.data.records.filter((r) => r.image === record.image).length;
    assert.is(sameImage, 1, "the victim image belongs to one record");
    writeFileSync(victim, "this is not a PNG any more");
    const r = await losses(faulty);
    assert.is(r.result.status, 1);
    assert.match(r.result.errors.join("\n"), /^replica 1 of 2 failed: cannot read image .+; replace the file/);
  } finally {
    rmSync(own, { recursive: true, force: true });
  }
});

test("blip_retrieval: 2 replicas x 4 enqueue every replica's ids into the ITC queue (as 1 x 8 does per step), deterministically", async () => {
  // LAVIS's ITC compares each rank's batch with its own momentum features and the shared queue, and mines ITM
  // negatives within the rank's batch, so 2x4 and 1x8 losses differ by design; the queues must hold the same samples.
  const short = { runner: "runner_iter", maxIters: 6, itersPerInnerEpoch: 6 } as const;
  const one = await losses(spec("retrieval_shapes.lv", { ...short, batchSizeTrain: 8, worldSize: 1, outputDir: join(tmp, "r1") }));
  assert.is(one.result.status, 0, one.result.errors.join("; "));
  const two = await losses(spec("retrieval_shapes.lv", { ...short, batchSizeTrain: 4, worldSize: 2, outputDir: join(tmp, "r2") }));
  assert.is(two.result.status, 0, two.result.errors.join("; "));
  const again = await losses(spec("retrieval_shapes.lv", { ...short, batchSizeTrain: 4, worldSize: 2, outputDir: join(tmp, "r3") }));
  assert.is(two.steps.length, 6);
  assert.equal(again.steps, two.steps, "two 2-replica runs give identical losses");
  const q1 = idxQueue(join(tmp, "r1")), q2 = idxQueue(join(tmp, "r2"));
  for (let step = 0; step < 6; step++) {
    const block = (q: number[]) => q.slice(step * 8, step * 8 + 8).sort((x, y) => x - y);
    assert.equal(block(q2), block(q1), `queue columns of step ${step}`);
  }
  assert.not.equal(q2.slice(0, 8), q1.slice(0, 8), "rank order (rank 0's 4, then rank 1's), not the 1x8 order");

  // Rank r's step stream is seeded with seed + r: 6 steps drew 2 x 4 uniforms each (ITM's negatives) on each rank,
  // and the checkpoint holds rank 0's state as `rng` and rank 1's in `replicaRng`.
  const seed = spec("retrieval_shapes.lv", {}).seed;
  const after = (rank: number, draws: number): RngState => {
    const r = stepRng(seed, rank);
    for (let i = 0; i < draws; i++) r.next();
    return r.state();
  };
  const meta = checkpointMeta(join(tmp, "r2"));
  assert.equal(meta.rng, after(0, 48));
  assert.equal(meta.replicaRng, [after(1, 48)]);
  assert.not.equal(after(0, 48), after(1, 48));
  assert.is(checkpointMeta(join(tmp, "r1")).replicaRng, undefined, "a one-replica checkpoint is unchanged");

  // Resuming at world_size 2 restores each rank's own stream: the same later losses.
  const stopped = await losses(spec("retrieval_shapes.lv", { ...short, batchSizeTrain: 4, worldSize: 2, outputDir: join(tmp, "r4") }), 3);
  assert.is(stopped.result.status, 130, stopped.result.errors.join("; "));
  const resumed = await losses(spec("retrieval_shapes.lv", { ...short, batchSizeTrain: 4, worldSize: 2, outputDir: join(tmp, "r5"), resumeCkptPath: stopped.result.resumePath }));
  assert.is(resumed.result.status, 0, resumed.result.errors.join("; "));
  assert.equal([...stopped.steps, ...resumed.steps], two.steps);
});

test("rank r's loaders: the sampler's order from run.seed, the augmentation from seed + r", async () => {
  const s = spec("retrieval_shapes.lv", {});
  const seen: TrainLoaderOptions[] = [];
  const factory: DataFactory = {
    async train(_d, _split, opts) {
      seen.push(opts);
      return { batchesPerEpoch: 1, epoch: async function* () {} };
    },
    retrievalEval: () => Promise.reject(new Error("unused")),
  };
  await trainingLoaders(s, factory, { rank: 1, world: 2 });
  await trainingLoaders(s, factory);
  assert.equal(seen.map((o) => [o.seed, o.augmentSeed]), [[s.seed, s.seed + 1], [s.seed, undefined]]);
});

/** The JSON half of the run's only checkpoint. */
function checkpointMeta(outDir: string): { rng: RngState; replicaRng?: RngState[] } {
  const dir = join(outDir, readdirSync(outDir)[0]!);
  const file = readdirSync(dir).find((f) => f.startsWith("checkpoint") && f.endsWith(".json"))!;
  return JSON.parse(readFileSync(join(dir, file), "utf8")) as { rng: RngState; replicaRng?: RngState[] };
}

/** The idx_queue of the run's only checkpoint. */
function idxQueue(outDir: string): number[] {
  const dir = join(outDir, readdirSync(outDir)[0]!);
  const file = readdirSync(dir).find((f) => f.startsWith("checkpoint") && f.endsWith(".safetensors"))!;
  const st = decodeSafetensors(readFileSync(join(dir, file)));
  if (!st.ok) throw new Error(`cannot read ${file}`);
  return Array.from(st.tensors.get("idx_queue")!.data as Float32Array);
}


/**
 * A short run from `weights` with every learning rate 0 (the weights stay the checkpoint's), validating and testing:
 * its metrics, the info lines of its log and its result files.
 */
async function evaluateFrom(project: string, weights: string | null, over: Partial<RunSpec>): Promise<{ result: RunResult; info: string[]; files: Record<string, string> }> {
  const base = spec(project, {});
  const s: RunSpec = {
    ...base, runner: "runner_iter", maxIters: 1, itersPerInnerEpoch: 1, validSplits: ["val"], testSplits: ["test"],
    schedule: { ...base.schedule, initLr: 0, minLr: 0, warmupLr: 0 }, model: { ...base.model, loadWeights: weights }, ...over,
  };
  const info: string[] = [];
  const data = dataModuleFactory({ workers: 0 });
  const logger = { info: (m: string) => info.push(m), warn: () => {}, error: () => {} };
  try {
    const result = await runExperiment(s, { dataFactory: data, logger, now: () => new Date(2026, 0, 1) });
    const dir = join(result.outputDir ?? "", "result");
    const files = result.status === 0 ? Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), "utf8")])) : {};
    return { result, info, files };
  } finally {
    await data.close();
  }
}

/** The JSON half of the first checkpoint of a run folder written above. */
function firstCheckpoint(outDir: string): string {
  const dir = join(outDir, readdirSync(outDir)[0]!);
  return join(dir, readdirSync(dir).find((f) => f.startsWith("checkpoint") && f.endsWith(".json"))!);
}

/**
 * The same weights evaluated at world_size 1 (batch 8) and 2 (4 each), each into its own folder: both must succeed,
 * the first must report `metric` on its val split, and the metrics and result files must be equal.
 */
async function evaluatedAtOneAndTwo(project: string, weights: string | null, metric: string, over: Partial<RunSpec> = {}): Promise<{ one: Awaited<ReturnType<typeof evaluateFrom>>; two: Awaited<ReturnType<typeof evaluateFrom>> }> {
  const runs = [];
  for (const world of [1, 2]) {
    const r = await evaluateFrom(project, weights, { batchSizeTrain: 8 / world, worldSize: world, ...over, outputDir: join(tmp, `eval-${project}-${world}`) });
    assert.is(r.result.status, 0, r.result.errors.join("; "));
    runs.push(r);
  }
  assert.ok(runs[0]!.result.metrics["val"]?.[metric] !== undefined, JSON.stringify(runs[0]!.result.metrics));
  assert.equal(runs[1]!.result.metrics, runs[0]!.result.metrics, project);
  assert.equal(runs[1]!.files, runs[0]!.files, `${project}: result files in the split's order`);
  return { one: runs[0]!, two: runs[1]! };
}

const SHARDED_LINE = /^evaluation: each rank evaluates 1\/2 of each valid\/test split/;

test("sharded evaluation (use_dist_eval_sampler): classification, retrieval, captioning and VQA metrics at world_size 2 equal world_size 1's", async () => {
  // Both runs evaluate the same weights (learning rate 0), so the metrics and result files must be equal exactly:
  // every sample's prediction is computed from the same weights, only in another batch.
  const cls = await evaluatedAtOneAndTwo("classification_shapes.lv", firstCheckpoint(join(tmp, "one")), "acc");
  assert.ok(cls.one.result.metrics["test"]?.["acc"] !== undefined, JSON.stringify(cls.one.result.metrics));
  assert.ok(cls.two.info.some((l) => SHARDED_LINE.test(l)), cls.two.info.join("\n"));

  const rows = await evaluatedAtOneAndTwo("retrieval_shapes.lv", firstCheckpoint(join(tmp, "r1")), "r_mean");
  console.log(`world_size 1 and 2: classification val acc ${cls.one.result.metrics["val"]!["acc"]}, test acc ${cls.one.result.metrics["test"]!["acc"]}; retrieval val r_mean ${rows.one.result.metrics["val"]!["r_mean"]}`);
  assert.ok(rows.two.info.some((l) => /^evaluation: every rank embeds the whole split and re-ranks 1\/2 of the ITM rows/.test(l)), rows.two.info.join("\n"));

  // Captioning from the seed's initial weights, greedy and short (the captions only have to be the same).
  const greedy = { ...spec("caption_shapes.lv", {}).taskParams, num_beams: 1, max_len: 8, min_len: 5 };
  await evaluatedAtOneAndTwo("caption_shapes.lv", null, "CIDEr", { taskParams: greedy });

  // VQA from the seed's initial weights, answers ranked from the answer list (vqa_shapes.lv's own setting).
  const vqa = await evaluatedAtOneAndTwo("vqa_shapes.lv", null, "agg_metrics");
  assert.ok(vqa.two.info.some((l) => SHARDED_LINE.test(l)), vqa.two.info.join("\n"));
});

test("an evaluation-only run (evaluate = true) at world_size 2 shares its test split: world_size 1's metrics and result files (classification, retrieval, feature extraction)", async () => {
  // features_shapes.lv: blip_feature_extractor on the retrieval model's weights; its rows (one per caption) and the
  // features file must come out in the split's order.
  const projects = [
    ["classification_shapes.lv", firstCheckpoint(join(tmp, "one")), "acc"],
    ["retrieval_shapes.lv", firstCheckpoint(join(tmp, "r1")), "r_mean"],
    ["features_shapes.lv", firstCheckpoint(join(tmp, "r1")), "r_mean"],
  ] as const;
  for (const [project, weights, metric] of projects) {
    const runs = [];
    for (const world of [1, 2]) runs.push(await evaluateFrom(project, weights, { evaluate: true, worldSize: world, outputDir: join(tmp, `evaluate-only-${project}-${world}`) }));
    for (const r of runs) assert.is(r.result.status, 0, r.result.errors.join("; "));
    assert.ok(runs[0]!.result.metrics["test"]?.[metric] !== undefined, JSON.stringify(runs[0]!.result.metrics));
    assert.equal(runs[1]!.result.metrics, runs[0]!.result.metrics, project);
    assert.equal(runs[1]!.files, runs[0]!.files, `${project}: result files`);
    assert.ok(runs[1]!.info.some((l) => /^2 data-parallel replicas \(run.world_size 2\) share the test splits/.test(l)), runs[1]!.info.join("\n"));
    assert.ok(runs[1]!.info.some((l) => /^evaluation: /.test(l)), runs[1]!.info.join("\n"));
  }
});

test("use_dist_eval_sampler = false: rank 0 evaluates alone (an unreadable validation image fails on rank 0, not on a replica)", async () => {
  const own = mkdtempSync(join(tmpdir(), "lavisc-ddp-eval-"));
  try {
    const root = join(own, "data");
    cpSync(dataRoot, root, { recursive: true });
    const cls = firstCheckpoint(join(tmp, "one"));
    const s = spec("classification_shapes.lv", {}, root);
    const dataset = s.datasets[0]!;
    // Record 1 of the val split is rank 1's in a sharded evaluation (records 1, 3, 5, ...).
    const val = await createLoader(dataset, "val", { batchSize: 4, shuffle: false, seed: 0, epoch: 0, dropLast: false, train: false, workers: 0 });
    const record = val.data.records[1]!;
    assert.is(val.data.records.filter((r) => r.image === record.image).length, 1, "the victim image belongs to one record");
    writeFileSync(isAbsolute(record.image) ? record.image : join(dataset.imageRoot, record.image), "this is not a PNG any more");
    const over = { batchSizeTrain: 4, worldSize: 2, datasets: s.datasets } as const;
    const sharded = await evaluateFrom("classification_shapes.lv", cls, { ...over, outputDir: join(own, "sharded") });
    assert.is(sharded.result.status, 1);
    assert.match(sharded.result.errors.join("\n"), /^replica 1 of 2 failed during evaluation: cannot read image .+; replace the file/);
    const alone = await evaluateFrom("classification_shapes.lv", cls, { ...over, useDistEvalSampler: false, outputDir: join(own, "alone") });
    assert.is(alone.result.status, 1);
    assert.match(alone.result.errors.join("\n"), /^cannot read image /);
    assert.ok(alone.info.some((l) => /^evaluation: rank 0 evaluates each split alone \(run.use_dist_eval_sampler = false\)/.test(l)), alone.info.join("\n"));
  } finally {
    rmSync(own, { recursive: true, force: true });
  }
});

/** Runs `s`, which rank 0 refuses after the replica threads were started; its errors, once no thread is left. */
async function failsOnRank0(s: RunSpec): Promise<string> {
  const before = replicaThreads.started;
  const r = await losses(s);
  assert.is(r.result.status, 1);
  assert.is(replicaThreads.started - before, 1, "the replica thread was started before rank 0 built its model");
  assert.is(replicaThreads.running, 0, "no replica thread outlives the run");
  return r.result.errors.join("\n");
}

test("negative_all_rank = true: 2 replicas mine ITM's negatives from both batches (all_gather_with_grad), deterministically", async () => {
  const short = { runner: "runner_iter", maxIters: 4, itersPerInnerEpoch: 4, batchSizeTrain: 4, worldSize: 2 } as const;
  const every = (s: RunSpec): RunSpec => ({ ...s, model: { ...s.model, config: { ...s.model.config, negative_all_rank: true } } });
  const a = await losses(every(spec("retrieval_shapes.lv", { ...short, outputDir: join(tmp, "nar1") })));
  assert.is(a.result.status, 0, a.result.errors.join("; "));
  const b = await losses(every(spec("retrieval_shapes.lv", { ...short, outputDir: join(tmp, "nar2") })));
  assert.is(a.steps.length, 4);
  assert.ok(a.steps.every((l) => Number.isFinite(l)), String(a.steps));
  assert.equal(b.steps, a.steps, "two runs give identical losses");
  // The same runs mining within each replica's batch draw the same uniforms from a smaller pool: other losses.
  const within = await losses(spec("retrieval_shapes.lv", { ...short, outputDir: join(tmp, "nar3") }));
  assert.is(within.result.status, 0, within.result.errors.join("; "));
  assert.not.equal(within.steps[0], a.steps[0], "the first step's ITM loss already sees other negatives");
});

test("rank 0 fails after the replica threads started (resume from a missing or another model's checkpoint): its error, no thread left", async () => {
  const missing = await failsOnRank0(spec("retrieval_shapes.lv", { worldSize: 2, batchSizeTrain: 4, outputDir: join(tmp, "f1"), resumeCkptPath: join(tmp, "nowhere.json") }));
  assert.match(missing, /^run.resume_ckpt_path: checkpoint .+ not found/);
  // Fails in restoreTraining, after rank 0 shared the buffer: the replica may have its model and the buffer by then.
  const other = await failsOnRank0(spec("retrieval_shapes.lv", { worldSize: 2, batchSizeTrain: 4, outputDir: join(tmp, "f2"), resumeCkptPath: firstCheckpoint(join(tmp, "one")) }));
  assert.match(other, /^checkpoint .+ does not match the model: missing \d+ tensors/);
});

test("files rank 0 downloads first (a training annotation, weights by URL): the replica builds its model after rank 0's", async () => {
  const own = mkdtempSync(join(tmpdir(), "lavisc-ddp-fetch-"));
  try {
    const base = spec("classification_shapes.lv", { worldSize: 2, batchSizeTrain: 4, runner: "runner_iter", maxIters: 2, itersPerInnerEpoch: 2, outputDir: join(own, "out") });
    assert.not.ok(downloadsFirst(base), "every file is there: the replica builds its model while rank 0 builds its own");
    assert.ok(downloadsFirst({ ...base, model: { ...base.model, loadWeights: pathToFileURL(join(own, "weights.safetensors")).href } }));
    // The training annotation, to be copied from a file:// url into a storage root that does not hold it yet.
    const datasets = base.datasets.map((d) => ({
      ...d, storageRoot: own,
      splits: d.splits.map((sp) => (sp.split !== "train" ? sp : { ...sp, annotations: sp.annotations.map((a, i) => ({ storage: `train_${i}.json`, url: pathToFileURL(resolveStorage(d, a.storage)).href })) })),
    }));
    const fetching = { ...base, datasets };
    assert.ok(downloadsFirst(fetching));
    const r = await losses(fetching);
    assert.is(r.result.status, 0, r.result.errors.join("; "));
    assert.is(r.steps.length, 2);
    assert.not.ok(downloadsFirst(fetching), "rank 0 fetched the annotation");
    assert.is(replicaThreads.running, 0);
  } finally {
    rmSync(own, { recursive: true, force: true });
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
