// The data-parallel replicas of a run (run.world_size on the tfjs engine) for `lavisc plan`: how many, the batch
// per replica and per step, and warnings when the machine has fewer cores or less memory than they need.
import { availableParallelism, totalmem } from "node:os";
import { diag } from "../diagnostics/diagnostic.js";
import type { MemoryEstimate } from "./paramCount.js";

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
  /** Rendered warnings (code and message). */
  readonly warnings: readonly { readonly code: "LV6003" | "LV6004"; readonly message: string; readonly hint: string }[];
}

export interface Machine {
  readonly cores: number;
  readonly memoryBytes: number;
}

export const thisMachine = (): Machine => ({ cores: availableParallelism(), memoryBytes: totalmem() });

export const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

export function planReplicas(worldSize: number, batch: number, seed: number, evaluation: string | null, memory: MemoryEstimate | null, machine: Machine, evaluateOnly = false): ReplicasPlan {
  const warnings: ReplicasPlan["warnings"][number][] = [];
  const warn = (code: "LV6003" | "LV6004", args: Record<string, string | number>) => {
    const d = diag(code, null, args);
    warnings.push({ code, message: d.message, hint: d.hint ?? "" });
  };
  if (worldSize > machine.cores) warn("LV6003", { world: worldSize, cores: machine.cores, slowdown: (worldSize / machine.cores).toFixed(1) });
  if (memory && worldSize > 1 && memory.totalBytes * worldSize > machine.memoryBytes) warn("LV6004", { world: worldSize, need: gib(memory.totalBytes * worldSize), total: gib(machine.memoryBytes) });
  return { worldSize, evaluateOnly, perReplicaBatch: batch, globalBatch: batch * worldSize, cores: machine.cores, seed, evaluation, warnings };
}
