// A replica's part of the run's evaluations: the same Evaluator as rank 0, whose exchanges post this rank's results
// to rank 0 (ReplicaSet.exchange collects them), and the test phase, whose weights rank 0 names in a message.
import { parentPort } from "node:worker_threads";
import type { RunSpec } from "../runSpec.js";
import type { Model } from "../models/model.js";
import type { DataFactory } from "../train/dataFactory.js";
import { Evaluator, type EvalExchange } from "../train/evaluation.js";
import { loadInto, readCheckpoint } from "../train/checkpointing.js";
import type { ReplicaMessage, ToReplica } from "./replicaWorker.js";

/** A replica's Evaluator: it logs nothing and returns no metrics; its results go to rank 0. */
export function replicaEvaluator(spec: RunSpec, model: Model, data: DataFactory, rank: number, world: number): Evaluator {
  const exchange: EvalExchange = {
    rank, world,
    exchange: async (tag, payload) => {
      parentPort!.postMessage({ kind: "evaluated", tag, payload } satisfies ReplicaMessage);
      return null;
    },
  };
  const quiet = () => {};
  return new Evaluator(spec, model, data, { warn: quiet, info: quiet, ranks: quiet, evaluation: quiet, result: quiet, tensors: quiet }, exchange);
}

/** Rank 0's next instruction: test with these weights, or end. */
export function nextInstruction(): Promise<ToReplica> {
  return new Promise((resolve) => parentPort!.once("message", (m: ToReplica) => resolve(m)));
}

/** The test phase as rank 0 runs it: checkpoint_best's weights when rank 0 loaded them, then every test split. */
export async function replicaTestPhase(spec: RunSpec, model: Model, evaluator: Evaluator, label: number | "best"): Promise<void> {
  const order = await nextInstruction();
  if (order.kind !== "test") return;
  if (order.weights) loadInto(model, readCheckpoint(order.weights, "best checkpoint").model, order.weights);
  for (const split of spec.testSplits) await evaluator.evaluate(split, spec.validSplits.length ? "best" : label);
}
