// Rank 0's side of data-parallel training: starts the replica threads (ranks 1..N-1) on the same RunSpec as soon as
// rank 0's backend is up, so that they load the bundle, start their backends and build their models and data shards
// while rank 0 builds its own; then hands them the shared buffer (its size depends on the model), waits until each
// has its model and the buffer, owns the group, collects the replicas' parts of a sharded evaluation (messages: once
// per evaluation, as LAVIS's per-rank result files), tells them which weights the test splits use, and ends them
// with the run, whether it finished or failed at any point after the launch.
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
  /** The replicas build their models only after rank 0's (which downloads what the run needs first). */
  readonly afterRank0: boolean;
  /** Rank 0's stop request (Ctrl-C); published to every replica at the next reduction. */
  readonly localStop: () => boolean;
}

/** Replica threads started and still running in this process (tests check that none outlives a run). */
export const replicaThreads = { started: 0, running: 0 };

export class ReplicaSet implements EvalExchange {
  readonly rank = 0;
  private readonly workers: Worker[] = [];
  /** Per replica: the floats it reduces, once it has its model and the shared buffer. */
  private readonly ready: Promise<number>[] = [];
  private readonly errors = new Map<number, string>();
  private readonly exited: Promise<void>[] = [];
  private shared: { group: ReplicaGroup; reducer: GradientReducer } | null = null;
  private allReady = false;
  /** Evaluation parts that arrived, by `${rank} ${tag}`, and rank 0's waits for the others. */
  private readonly parts = new Map<string, unknown>();
  private readonly waits = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(readonly world: number, private readonly localStop: () => boolean) {}

  get reducer(): GradientReducer {
    if (!this.shared) throw new Error("bug: the replicas' reducer is used before rank 0 shared its buffer");
    return this.shared.reducer;
  }

  /** Starts ranks 1..N-1; each builds its model and data shard, then waits for `share`. */
  static launch(o: ReplicaSetOptions): ReplicaSet {
    const set = new ReplicaSet(o.world, o.localStop);
    for (let rank = 1; rank < o.world; rank++) {
      const data: ReplicaWorkerData = { spec: o.spec, rank, world: o.world, backend: o.backend, data: o.data, allowHttp: o.allowHttp, afterRank0: o.afterRank0 };
      const w = packageWorker("replicaWorkerMain", "runtime/replicas/replicaWorker.js", data);
      replicaThreads.started++;
      replicaThreads.running++;
      set.workers.push(w);
      const ready = new Promise<number>((resolve, reject) => {
        const failed = (message: string) => {
          set.errors.set(rank, message);
          set.failWaits(rank, message);
          reject(new Error(`replica ${rank}: ${message}`));
        };
        w.on("message", (m: ReplicaMessage) => {
          if (m.kind === "error") failed(m.message);
          else if (m.kind === "evaluated") set.arrived(rank, m.tag, m.payload);
          else if (m.kind === "ready") resolve(m.length);
        });
        w.on("error", (e) => failed(e.message));
        set.exited.push(new Promise((exited) => w.on("exit", () => {
          replicaThreads.running--;
          set.failWaits(rank, "it exited");
          reject(new Error(`replica ${rank} stopped before it was ready`)); // no effect once it was
          exited();
        })));
      });
      ready.catch(() => {}); // awaited in `started`; a replica may fail while rank 0 is still preparing
      set.ready.push(ready);
    }
    return set;
  }

  /**
   * Rank 0 has built `model`: the shared buffer of its size goes to every replica (a posted SharedArrayBuffer is
   * shared, not copied). `rng` is rank 0's step RNG (seed + 0).
   */
  share(model: Model, rng: Rng): void {
    const length = reductionLength(model.trainable);
    const sab = replicaBuffer(this.world, length);
    const group = new ReplicaGroup(0, this.world, sab, length, this.localStop);
    this.shared = { group, reducer: new GradientReducer(model.trainable, group, rng) };
    for (const w of this.workers) w.postMessage({ kind: "buffer", sab, length } satisfies ToReplica);
  }

  /** Resolves once every replica has its model and the buffer (rejects with the first replica's error). */
  async started(): Promise<void> {
    const length = this.shared?.group.length;
    const lengths = await Promise.all(this.ready);
    lengths.forEach((n, i) => {
      if (n !== length) throw new Error(`replica ${i + 1} built a model of another size (${n} floats to reduce, rank 0 ${length})`);
    });
    this.allReady = true;
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

  /**
   * Ends the replicas: once all were ready, those blocked at the barrier wake and exit (their data loaders close);
   * before that (rank 0 failed while they were starting) they are terminated at once. None outlives the run.
   */
  async close(): Promise<void> {
    for (const w of this.workers) w.postMessage({ kind: "end" } satisfies ToReplica);
    this.shared?.group.abort(ENDED);
    if (this.allReady) {
      const timeout = new Promise<void>((r) => setTimeout(r, 10_000).unref());
      await Promise.race([Promise.all(this.exited), timeout]);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
