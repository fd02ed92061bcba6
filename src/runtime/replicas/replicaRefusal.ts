// When run.world_size > 1 cannot run as data-parallel replicas with LAVIS's semantics: the reason and what to do.
import type { DataFactory } from "../train/dataFactory.js";

export function replicaRefusal(world: number, backend: string, data: DataFactory): string | null {
  const fix = "set run.world_size = 1 (or run.distributed = false), or run it with --engine lavis";
  if (backend !== "wasm" && backend !== "cpu") {
    return `run.world_size ${world}: data-parallel replicas run in worker threads on the wasm (or cpu) backend, and this run uses ${backend}; set run.device = "wasm", or ${fix}`;
  }
  if (!data.replicable) return `run.world_size ${world}: this run's data factory cannot be rebuilt in a replica thread (only the data module's loaders shard as DistributedSampler); ${fix}`;
  return null;
}
