// Rank 0's side of data-parallel training: starts the replica threads (ranks 1..N-1) on the same RunSpec, waits
// until each has built its model and data shard, owns the shared buffer and the group, collects the replicas' parts
// of a sharded evaluation (messages: once per evaluation, as LAVIS's per-rank result files), tells them which weights
// the test splits use, and ends them with the run.
import type { Worker } from "node:worker_threads";
import { packageWorker } from "../../project/packageWorker.js";
import type { RunSpec } from "../runSpec.js";
import type { Model } from "../models/model.js";
import type { Rng } from "../train/rng.js";
import { GradientReducer, reductionLength } from "./gradientReducer.js";
import { ENDED, ReplicaGroup, replicaBuffer } from "./replicaGroup.js";
import type { ReplicaMessage, ReplicaWorkerData, ToReplica } from "./replicaWorker.js";
import type { EvalExchange } from "../train/evaluation.js";
import { UserError } from "../train/userError.js";

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

export class ReplicaSet implements EvalExchange {
  readonly reducer: GradientReducer;
  readonly rank = 0;
  private readonly workers: Worker[] = [];
  private readonly errors = new Map<number, string>();
  private readonly exited: Promise<void>[] = [];
  /** Evaluation parts that arrived, by `${rank} ${tag}`, and rank 0's waits for the others. */
  private readonly parts = new Map<string, unknown>();
  private readonly waits = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

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
      const w = packageWorker("replicaWorkerMain", "runtime/replicas/replicaWorker.js", data);
      set.workers.push(w);
      ready.push(new Promise((resolve, reject) => {
        w.on("message", (m: ReplicaMessage) => {
          if (m.kind === "error") {
            set.errors.set(rank, m.message);
            set.failWaits(rank, m.message);
            reject(new Error(`replica ${rank}: ${m.message}`));
          } else if (m.kind === "evaluated") {
            set.arrived(rank, m.tag, m.payload);
          } else if (m.kind === "ready") {
            if (m.length === length) resolve();
            else reject(new Error(`replica ${rank} built a model of another size (${m.length} floats to reduce, rank 0 ${length})`));
          }
        });
        w.on("error", (e) => {
          set.errors.set(rank, e.message);
          set.failWaits(rank, e.message);
          reject(new Error(`replica ${rank}: ${e.message}`));
        });
      }));
      set.exited.push(new Promise((resolve) => w.on("exit", () => {
        set.failWaits(rank, "it exited");
        resolve();
      })));
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await set.close();
      throw e;
    }
    return set;
  }

  /** Every rank's `payload` for evaluation `tag` in rank order (rank 0's first); a replica that fails rejects it. */
  async exchange(tag: string, payload: unknown): Promise<unknown[]> {
    const others = this.workers.map((_, i) => this.partOf(i + 1, tag));
    return [payload, ...(await Promise.all(others))];
  }

  /** The replicas evaluate the test splits with `weights` (checkpoint_best), or with their last weights (null). */
  startTest(weights: string | null): void {
    for (const w of this.workers) w.postMessage({ kind: "test", weights } satisfies ToReplica);
  }

  private partOf(rank: number, tag: string): Promise<unknown> {
    const key = `${rank} ${tag}`;
    if (this.parts.has(key)) {
      const v = this.parts.get(key);
      this.parts.delete(key);
      return Promise.resolve(v);
    }
    if (this.errors.has(rank)) return Promise.reject(new UserError(`replica ${rank} of ${this.world} failed during evaluation: ${this.errors.get(rank)}`));
    const other = [...this.parts.keys()].find((k) => k.startsWith(`${rank} `));
    if (other) return Promise.reject(new Error(`bug: rank 0 evaluates "${tag}" and replica ${rank} evaluated "${other.slice(other.indexOf(" ") + 1)}"`));
    return new Promise((resolve, reject) => this.waits.set(key, { resolve, reject }));
  }

  private arrived(rank: number, tag: string, payload: unknown): void {
    const key = `${rank} ${tag}`;
    const wait = this.waits.get(key);
    const mismatched = !wait && [...this.waits.keys()].find((k) => k.startsWith(`${rank} `));
    if (mismatched) {
      const w = this.waits.get(mismatched)!;
      this.waits.delete(mismatched);
      return void w.reject(new Error(`bug: rank 0 evaluates "${mismatched.slice(mismatched.indexOf(" ") + 1)}" and replica ${rank} evaluated "${tag}"`));
    }
    if (!wait) return void this.parts.set(key, payload);
    this.waits.delete(key);
    wait.resolve(payload);
  }

  private failWaits(rank: number, why: string): void {
    for (const [key, wait] of this.waits) {
      if (!key.startsWith(`${rank} `)) continue;
      this.waits.delete(key);
      wait.reject(new UserError(`replica ${rank} of ${this.world} failed during evaluation: ${this.errors.get(rank) ?? why}`));
    }
  }

  /** What replica `rank` reported when it failed (waits briefly for its message, which a blocked rank 0 missed). */
  async failure(rank: number): Promise<string> {
    for (let i = 0; i < 50 && !this.errors.has(rank); i++) await new Promise((r) => setTimeout(r, 100));
    return this.errors.get(rank) ?? "it stopped without a message";
  }

  /** Ends the replicas: those blocked at the barrier wake and exit; none outlives the run. */
  async close(): Promise<void> {
    for (const w of this.workers) w.postMessage({ kind: "end" } satisfies ToReplica);
    this.group.abort(ENDED);
    const timeout = new Promise<void>((r) => setTimeout(r, 10_000).unref());
    await Promise.race([Promise.all(this.exited), timeout]);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
