// The data-parallel replicas of a run (run.world_size on the tfjs engine) for `lavisc plan`: how many, the batch
// per replica and per step, a warning when the machine has fewer cores than they need, and an error when it has less
// memory than they need (`lavisc run` then refuses to start them: see replicasBeyondMemory).
import { availableParallelism, totalmem } from "node:os";
import { diag } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/index.js";
import { estimateParams, estimateTrainMemory, type MemoryEstimate } from "./paramCount.js";
import type { RunSpec } from "../runtime/runSpec.js";

export interface ReplicasFinding {
  readonly code: "LV6003" | "LV6004";
  readonly severity: "warning" | "error";
  readonly message: string;
  readonly hint: string;
}

export interface ReplicasPlan {
  readonly worldSize: number;
  /** An evaluation-only run: the replicas share its test splits and train nothing. */
  readonly evaluateOnly: boolean;
  readonly perReplicaBatch: number;
  readonly globalBatch: number;
  readonly cores: number;
  /** run.seed: rank r seeds its random streams with seed + r (LAVIS's setup_seeds). */
  readonly seed: number;
  /** Who evaluates the valid/test splits (null: the run evaluates none). */
  readonly evaluation: string | null;
  /** Rendered findings (code, severity, message, hint): LV6003 a warning, LV6004 an error `lavisc run` stops on. */
  readonly warnings: readonly ReplicasFinding[];
}

export interface Machine {
  readonly cores: number;
  readonly memoryBytes: number;
}

export const thisMachine = (): Machine => ({ cores: availableParallelism(), memoryBytes: totalmem() });

export const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

/**
 * What a replica's worker thread holds besides its training step: its V8 isolate, tfjs and the wasm backend, its
 * data shard's loader. Measured: 64 replicas of projects/quickstart/classification_shapes.lv (a step of 0.01 GiB)
 * held 2.6 GB before their first step, about 40 MiB each.
 */
export const REPLICA_THREAD_BYTES = 40 * 2 ** 20;

export function planReplicas(worldSize: number, batch: number, seed: number, evaluation: string | null, memory: MemoryEstimate | null, machine: Machine, evaluateOnly = false): ReplicasPlan {
  const warnings: ReplicasFinding[] = [];
  if (worldSize > machine.cores) {
    const d = diag("LV6003", null, { world: worldSize, cores: machine.cores, slowdown: (worldSize / machine.cores).toFixed(1) });
    warnings.push({ code: "LV6003", severity: "warning", message: d.message, hint: d.hint ?? "" });
  }
  const beyond = replicasOverMemory(worldSize, memory, machine);
  if (beyond) warnings.push({ code: "LV6004", severity: "error", message: beyond.message, hint: beyond.hint ?? "" });
  return { worldSize, evaluateOnly, perReplicaBatch: batch, globalBatch: batch * worldSize, cores: machine.cores, seed, evaluation, warnings };
}

/** LV6004: the replicas' training steps and threads need more than the machine's memory (null: they fit, or one replica). */
export function replicasOverMemory(worldSize: number, memory: MemoryEstimate | null, machine: Machine): Diagnostic | null {
  if (!(worldSize > 1)) return null;
  const each = (memory?.totalBytes ?? 0) + REPLICA_THREAD_BYTES;
  if (each * worldSize <= machine.memoryBytes) return null;
  const fit = Math.floor(machine.memoryBytes / each);
  return diag("LV6004", null, {
    world: worldSize, need: gib(each * worldSize), total: gib(machine.memoryBytes), thread: gib(REPLICA_THREAD_BYTES),
    step: memory ? `a training step of ${gib(memory.totalBytes)} (fp32 estimate)` : "a training step of unknown size",
    fewer: fit >= 1 ? ` to ${fit} or fewer` : "",
  });
}

/** `lavisc run`'s refusal to start replicas that cannot fit in this machine's memory (null: none, or one replica). */
export function replicasBeyondMemory(run: RunSpec, machine: Machine = thisMachine()): Diagnostic | null {
  const world = run.worldSize ?? 1;
  if (world <= 1) return null;
  const params = run.evaluate ? null : estimateParams(run.model.arch, run.model.config);
  const memory = params ? estimateTrainMemory(params, run.batchSizeTrain, run.model.arch, run.model.config) : null;
  return replicasOverMemory(world, memory, machine);
}
