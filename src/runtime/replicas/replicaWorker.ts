// A replica thread (rank 1..N-1), started while rank 0 builds its model: its own tfjs backend instance, the same model
// from the same RunSpec and seed (built in parallel with rank 0's, or after it when rank 0 downloads files first), the
// shared buffer rank 0 posts once its model exists, its shard of the training split, its own random streams from seed + rank (LAVIS's setup_seeds), and the same steps as
// rank 0's epoch loop (EpochLoop.trainEpoch): the gradients of every micro-batch are averaged with the other
// replicas and the same AdamW update is applied, so the parameters stay identical. It evaluates its part of each
// validation and test split when rank 0 does (replicaEvaluation.ts) and writes nothing: log.txt, checkpoints, metrics
// and result files are rank 0's.
import { parentPort, workerData } from "node:worker_threads";
import type { RunSpec } from "../runSpec.js";
import { initBackend } from "../backend/initBackend.js";
import { AdamW, adamWOptions } from "../optim/adamW.js";
import { Rng, stepRng, type RngState } from "../train/rng.js";
import { dataModuleFactory } from "../train/dataModuleFactory.js";
import { prepareRun, trainingSource, type PreparedRun } from "../train/runSetup.js";
import { loadInto, restoreTraining } from "../train/checkpointing.js";
import { GradientAccumulator, trainStep } from "../train/trainStep.js";
import { GradientReducer, reductionLength } from "./gradientReducer.js";
import { validatesAfter } from "../innerEpochs.js";
import type { Evaluator } from "../train/evaluation.js";
import { replicaEvaluator, replicaTestPhase } from "./replicaEvaluation.js";
import { ENDED, FAILED, ReplicaAborted, ReplicaGroup } from "./replicaGroup.js";

export interface ReplicaWorkerData {
  readonly spec: RunSpec;
  readonly rank: number;
  readonly world: number;
  readonly backend: "wasm" | "cpu";
  readonly data: { readonly workers?: number; readonly prefetch?: number };
  readonly allowHttp: boolean;
  /** Build the model only once rank 0 has built its own (rank 0 downloads the run's files first). */
  readonly afterRank0: boolean;
}

/** Messages to rank 0: set up (length = the floats this replica reduces), a part of evaluation `tag`, finished, or failed. */
export type ReplicaMessage =
  | { kind: "ready"; length: number }
  | { kind: "evaluated"; tag: string; payload: unknown }
  | { kind: "done" }
  | { kind: "error"; message: string };

/**
 * Messages from rank 0: first the shared buffer (sized for rank 0's model: `length` floats to reduce), or end; once
 * training is over, evaluate the test splits (with checkpoint_best's weights, or the last), or end.
 */
export type ToReplica = { kind: "buffer"; sab: SharedArrayBuffer; length: number } | { kind: "test"; weights: string | null } | { kind: "end" };

/** This replica's view of the shared buffer, once its model is built (an error after that wakes the others). */
let group: ReplicaGroup | null = null;

async function main(d: ReplicaWorkerData): Promise<void> {
  const post = (m: ReplicaMessage) => parentPort!.postMessage(m);
  const shared = sharedBuffer();
  const be = await initBackend(d.backend === "cpu" ? "reference-cpu" : "wasm");
  if (!be.ok) throw new Error(`${be.message}; ${be.hint}`);
  const data = dataModuleFactory(d.data);
  try {
    if (d.afterRank0) await shared;
    const prepared = await prepareRun(d.spec, data, { allowHttp: d.allowHttp, shard: { rank: d.rank, world: d.world } });
    if (!prepared.ok) throw new Error(prepared.errors.join("; "));
    const { sab, length } = await shared;
    const mine = reductionLength(prepared.model.trainable);
    if (mine !== length) throw new Error(`built a model of another size (${mine} floats to reduce, rank 0 ${length})`);
    group = new ReplicaGroup(d.rank, d.world, sab, length);
    post({ kind: "ready", length });
    const rng = stepRng(d.spec.seed, d.rank);
    const evaluator = replicaEvaluator(d.spec, prepared.model, data, d.rank, d.world);
    try {
      const reducer = new GradientReducer(prepared.model.trainable, group, rng);
      if (d.spec.evaluate) {
        // An evaluation-only run: the weights rank 0 loads (its trainable parameters broadcast, as for training),
        // then its test splits, shared.
        if (prepared.initial) loadInto(prepared.model, prepared.initial.model, d.spec.model.loadWeights!, false);
        reducer.broadcastParameters();
        await replicaTestPhase(d.spec, prepared.model, evaluator, "best");
      } else {
        const ended = await follow(d.spec, prepared, reducer, rng, evaluator);
        if (ended !== "stopped" && d.spec.testSplits.length) await replicaTestPhase(d.spec, prepared.model, evaluator, ended);
      }
    } finally {
      prepared.model.dispose();
    }
    post({ kind: "done" });
  } catch (e) {
    if (e instanceof ReplicaAborted) {
      post({ kind: "done" }); // rank 0 ended the run, or another replica failed and rank 0 reports it
      return;
    }
    post({ kind: "error", message: e instanceof Error ? e.message : String(e) });
    group?.abort(FAILED);
  } finally {
    await data.close();
  }
}

/**
 * The steps and validations of rank 0's EpochLoop, in the same order, from the same start position; "stopped" after
 * a stop request, else the last epoch.
 */
async function follow(spec: RunSpec, prepared: PreparedRun, reducer: GradientReducer, rng: Rng, evaluator: Evaluator): Promise<number | "stopped"> {
  const { model } = prepared;
  if (prepared.initial) loadInto(model, prepared.initial.model, spec.model.loadWeights!, false);
  const optimizer = new AdamW(model.trainable, adamWOptions(spec.optimizer));
  const fresh = rng.state();
  const resumed = prepared.resume ? restoreTraining(prepared.resume, spec.resumeCkptPath!, model, optimizer, rng) : null;
  // restoreTraining set rank 0's state: this rank continues its own stream, or starts it afresh when the checkpoint
  // was written at another world size (rank 0 says so in the log).
  if (prepared.resume) rng.setState(replicaRngState(prepared.resume.meta?.replicaRng, reducer.group.rank, reducer.group.world) ?? fresh);
  const start = resumed?.start ?? { epoch: 0, skipSteps: 0 };
  reducer.broadcastParameters();
  const { source, stepsPerEpoch } = await trainingSource(spec, prepared, start.epoch, reducer.group.rank);
  const accum = Math.max(1, spec.accumGradIters);
  const isIter = spec.runner === "runner_iter";
  let lastEpoch = start.epoch;
  try {
    for (let epoch = start.epoch; epoch < prepared.maxEpoch; epoch++) {
      lastEpoch = epoch;
      const skip = epoch === start.epoch ? start.skipSteps : 0;
      const it = source.batches(epoch, stepsPerEpoch, isIter)[Symbol.asyncIterator]();
      const acc = new GradientAccumulator();
      try {
        for (let i = 0; i < stepsPerEpoch; i++) {
          if (i >= skip && i % accum === 0 && reducer.group.stopRequested) return "stopped";
          const next = await it.next();
          if (next.done) break;
          const batch = next.value;
          try {
            if (i < skip) continue;
            const losses = trainStep(model, optimizer, acc, batch, { epoch, iters: i, itersPerEpoch: stepsPerEpoch, rng }, prepared.schedule(epoch, i), accum, reducer);
            for (const l of Object.values(losses)) l.dispose();
          } finally {
            batch.image.dispose();
          }
        }
      } finally {
        acc.dispose();
        await it.return?.(undefined);
      }
      if (validatesAfter(spec, epoch)) for (const split of spec.validSplits) await evaluator.evaluate(split, epoch);
    }
    return lastEpoch;
  } finally {
    optimizer.dispose();
  }
}

/** Rank 0's first message: the shared buffer, or the end of the run (rank 0 failed before it built its model). */
function sharedBuffer(): Promise<{ sab: SharedArrayBuffer; length: number }> {
  const first = new Promise<{ sab: SharedArrayBuffer; length: number }>((resolve, reject) => parentPort!.once("message", (m: ToReplica) => {
    if (m.kind === "buffer") resolve(m);
    else reject(new ReplicaAborted(ENDED, 0));
  }));
  first.catch(() => {}); // awaited once the model is built
  return first;
}

/** Rank `rank`'s saved step RNG state, when the checkpoint was written by `world` replicas. */
function replicaRngState(saved: readonly RngState[] | undefined, rank: number, world: number): RngState | null {
  return saved && saved.length === world - 1 ? saved[rank - 1]! : null;
}

/** The worker's entry (ReplicaSet starts it through packageWorker, from the bundle when there is one). */
export function replicaWorkerMain(): void {
  main(workerData as ReplicaWorkerData).catch((e) => {
    parentPort!.postMessage({ kind: "error", message: e instanceof Error ? e.message : String(e) } satisfies ReplicaMessage);
    group?.abort(FAILED);
  });
}
