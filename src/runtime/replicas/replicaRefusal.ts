// When run.world_size > 1 cannot run as data-parallel replicas with LAVIS's semantics: the reason and what to do.
import type { Model } from "../models/model.js";
import type { DataFactory } from "../train/dataFactory.js";

export function replicaRefusal(world: number, backend: string, data: DataFactory, model?: Model): string | null {
  const fix = "set run.world_size = 1 (or run.distributed = false), or run it with --engine lavis";
  if (backend !== "wasm" && backend !== "cpu") {
    return `run.world_size ${world}: data-parallel replicas run in worker threads on the wasm (or cpu) backend, and this run uses ${backend}; set run.device = "wasm", or ${fix}`;
  }
  if (!data.replicable) return `run.world_size ${world}: this run's data factory cannot be rebuilt in a replica thread (only the data module's loaders shard as DistributedSampler); ${fix}`;
  if (model?.crossReplicaGathers) {
    return `run.world_size ${world}: LAVIS's ${model.arch} gathers across ranks during training (${model.crossReplicaGathers}), which lavisc's replicas do not do yet, so the run would not mean what it means in LAVIS; ${fix}`;
  }
  return null;
}
