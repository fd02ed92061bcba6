// Rank 0's side of data-parallel training: starts the replica threads (ranks 1..N-1) on the same RunSpec, waits
// until each has built its model and data shard, owns the shared buffer and the group, and ends them with the run.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { packageRoot } from "../../project/paths.js";
import type { RunSpec } from "../runSpec.js";
import type { Model } from "../models/model.js";
import type { Rng } from "../train/rng.js";
import { GradientReducer, reductionLength } from "./gradientReducer.js";
import { ENDED, ReplicaGroup, replicaBuffer } from "./replicaGroup.js";
import type { ReplicaMessage, ReplicaWorkerData } from "./replicaWorker.js";

export interface ReplicaSetOptions {
  readonly spec: RunSpec;
  readonly world: number;
  readonly backend: "wasm" | "cpu";
  readonly data: { readonly workers?: number; readonly prefetch?: number };
  readonly allowHttp: boolean;
  /** Rank 0's stop request (Ctrl-C); published to every replica at the next reduction. */
  readonly localStop: () => boolean;
  /** Rank 0's step RNG (seed + 0). */
  readonly rng: Rng;
}

export class ReplicaSet {
  readonly reducer: GradientReducer;
  private readonly workers: Worker[] = [];
  private readonly errors = new Map<number, string>();
  private readonly exited: Promise<void>[] = [];

  private constructor(model: Model, private readonly group: ReplicaGroup, rng: Rng) {
    this.reducer = new GradientReducer(model.trainable, group, rng);
  }

  get world(): number {
    return this.group.world;
  }

  /** Starts ranks 1..N-1 and resolves once all are ready (or rejects with the first replica's error). */
  static async start(model: Model, o: ReplicaSetOptions): Promise<ReplicaSet> {
    const length = reductionLength(model.trainable);
    const sab = replicaBuffer(o.world, length);
    const set = new ReplicaSet(model, new ReplicaGroup(0, o.world, sab, length, o.localStop), o.rng);
    const ready: Promise<void>[] = [];
    for (let rank = 1; rank < o.world; rank++) {
      const data: ReplicaWorkerData = { spec: o.spec, rank, world: o.world, sab, backend: o.backend, data: o.data, allowHttp: o.allowHttp };
      const w = new Worker(join(packageRoot(), "dist", "src", "runtime", "replicas", "replicaWorker.js"), { workerData: data });
      set.workers.push(w);
      ready.push(new Promise((resolve, reject) => {
        w.on("message", (m: ReplicaMessage) => {
          if (m.kind === "error") {
            set.errors.set(rank, m.message);
            reject(new Error(`replica ${rank}: ${m.message}`));
          } else if (m.kind === "ready") {
            if (m.length === length) resolve();
            else reject(new Error(`replica ${rank} built a model of another size (${m.length} floats to reduce, rank 0 ${length})`));
          }
        });
        w.on("error", (e) => {
          set.errors.set(rank, e.message);
          reject(new Error(`replica ${rank}: ${e.message}`));
        });
      }));
      set.exited.push(new Promise((resolve) => w.on("exit", () => resolve())));
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await set.close();
      throw e;
    }
    return set;
  }

  /** What replica `rank` reported when it failed (waits briefly for its message, which a blocked rank 0 missed). */
  async failure(rank: number): Promise<string> {
    for (let i = 0; i < 50 && !this.errors.has(rank); i++) await new Promise((r) => setTimeout(r, 100));
    return this.errors.get(rank) ?? "it stopped without a message";
  }

  /** Ends the replicas: those blocked at the barrier wake and exit; none outlives the run. */
  async close(): Promise<void> {
    this.group.abort(ENDED);
    const timeout = new Promise<void>((r) => setTimeout(r, 10_000).unref());
    await Promise.race([Promise.all(this.exited), timeout]);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
