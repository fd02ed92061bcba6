// The replicas' meeting point: one SharedArrayBuffer that every replica thread maps. A header of Int32 counters (a
// reusable barrier, the stop flag rank 0 publishes, an abort word), a few Int32 words per rank that travel with each
// reduction without being averaged (each rank's RNG state, for rank 0's checkpoints), one Float32 slot per rank and
// one result region.
// Gradients are averaged as a reduce-scatter in a fixed order: rank r sums its chunk of the vector over the slots
// 0, 1, ..., N-1 and divides by N, so every replica gets the same bits in every run. Nothing is serialised per step.

import type { CrossReplica } from "../models/model.js";

const ARRIVED = 0, GENERATION = 1, ABORT = 2, STOP = 3, FAILED_RANK = 4;
const HEADER_INTS = 8;
/** Int32 words per rank carried by every reduction unaveraged (an RNG state is four). */
export const RANK_WORDS = 4;
/** Abort word values: rank 0 ended the run (replicas exit quietly), or a replica failed. */
export const ENDED = 1, FAILED = 2;
/** How long one Atomics.wait sleeps before it looks at the abort word again. */
const POLL_MS = 200;

/** Raised in a replica blocked at the barrier when another one ended the run or failed. */
export class ReplicaAborted extends Error {
  constructor(readonly reason: typeof ENDED | typeof FAILED, readonly failedRank: number) {
    super(reason === ENDED ? "the run ended on rank 0" : `replica ${failedRank} failed`);
  }
}

export function replicaBuffer(world: number, length: number): SharedArrayBuffer {
  return new SharedArrayBuffer((HEADER_INTS + world * RANK_WORDS) * 4 + (world + 1) * length * 4);
}

export class ReplicaGroup implements CrossReplica {
  private readonly header: Int32Array;
  private readonly words: Int32Array;
  /** Rank 0: every rank's words as of the last reduction (copied while all replicas wait at its barrier). */
  private readonly lastWords: number[][] = [];
  private readonly slots: Float32Array[] = [];
  private readonly result: Float32Array;
  private agreedStop = false;

  /** `localStop` (rank 0 only) is read at every reduction and published to all replicas. */
  constructor(readonly rank: number, readonly world: number, sab: SharedArrayBuffer, readonly length: number, private readonly localStop: () => boolean = () => false) {
    this.header = new Int32Array(sab, 0, HEADER_INTS);
    this.words = new Int32Array(sab, HEADER_INTS * 4, world * RANK_WORDS);
    const floats = (HEADER_INTS + world * RANK_WORDS) * 4;
    for (let r = 0; r < world; r++) this.slots.push(new Float32Array(sab, floats + r * length * 4, length));
    this.result = new Float32Array(sab, floats + world * length * 4, length);
  }

  /** The stop request as of the last reduction: the same value on every replica, so all stop at the same step. */
  get stopRequested(): boolean {
    return this.agreedStop;
  }

  /** Every rank's words (uint32) as of the last reduction that carried them; rank 0 only, empty before the first. */
  get rankWords(): readonly (readonly number[])[] {
    return this.lastWords;
  }

  /**
   * Mean over the replicas of `values` (at most `length` floats), in the fixed rank order; a new array. `words`
   * (at most RANK_WORDS uint32, not averaged) reach rank 0 as `rankWords`.
   */
  allReduceMean(values: Float32Array, words?: readonly number[]): Float32Array {
    return this.allReduceMeanInPlace(values.length, (slot) => slot.set(values), words).slice();
  }

  /**
   * allReduceMean without copies: `fill` writes this rank's `n` floats straight into its shared slot, and the mean is
   * returned as a view of the shared result region, valid until this replica's next collective call.
   */
  allReduceMeanInPlace(n: number, fill: (slot: Float32Array) => void, words?: readonly number[]): Float32Array {
    if (n > this.length) throw new Error(`a replica reduction of ${n} floats exceeds the shared buffer (${this.length})`);
    fill(this.slots[this.rank]!.subarray(0, n));
    if (words) words.slice(0, RANK_WORDS).forEach((w, i) => (this.words[this.rank * RANK_WORDS + i] = w | 0));
    if (this.rank === 0) Atomics.store(this.header, STOP, this.localStop() ? 1 : 0);
    this.barrier();
    this.agreedStop = Atomics.load(this.header, STOP) === 1;
    if (words && this.rank === 0) {
      for (let r = 0; r < this.world; r++) this.lastWords[r] = Array.from(this.words.subarray(r * RANK_WORDS, (r + 1) * RANK_WORDS), (w) => w >>> 0);
    }
    const lo = Math.floor((this.rank * n) / this.world), hi = Math.floor(((this.rank + 1) * n) / this.world);
    for (let i = lo; i < hi; i++) {
      let s = 0;
      for (let r = 0; r < this.world; r++) s += this.slots[r]![i]!;
      this.result[i] = s / this.world;
    }
    this.barrier();
    return this.result.subarray(0, n);
  }

  /** Every replica's `values` (the same length on all), concatenated in rank order (concat_all_gather). */
  allGather(values: Float32Array): Float32Array {
    const n = values.length;
    if (n > this.length) throw new Error(`a replica gather of ${n} floats exceeds the shared buffer (${this.length})`);
    this.slots[this.rank]!.set(values);
    this.barrier();
    const out = new Float32Array(n * this.world);
    for (let r = 0; r < this.world; r++) out.set(this.slots[r]!.subarray(0, n), r * n);
    this.barrier(); // no replica may overwrite its slot before every replica copied it
    return out;
  }

  /** Rank 0's `values` on every replica (DDP's broadcast of the module state at start); others pass their length. */
  broadcast(values: Float32Array | number): Float32Array {
    const n = typeof values === "number" ? values : values.length;
    if (this.rank === 0 && typeof values !== "number") this.result.set(values);
    this.barrier();
    const out = this.result.slice(0, n);
    this.barrier(); // rank 0 must not overwrite the result before every replica copied it
    return out;
  }

  /** Wakes every replica blocked at the barrier with ReplicaAborted (first caller wins). */
  abort(reason: typeof ENDED | typeof FAILED): void {
    if (Atomics.compareExchange(this.header, ABORT, 0, reason) === 0) Atomics.store(this.header, FAILED_RANK, this.rank);
    Atomics.add(this.header, GENERATION, 1);
    Atomics.notify(this.header, GENERATION);
  }

  private barrier(): void {
    this.throwIfAborted();
    const gen = Atomics.load(this.header, GENERATION);
    if (Atomics.add(this.header, ARRIVED, 1) === this.world - 1) {
      Atomics.store(this.header, ARRIVED, 0);
      Atomics.add(this.header, GENERATION, 1);
      Atomics.notify(this.header, GENERATION);
      return;
    }
    while (Atomics.load(this.header, GENERATION) === gen) {
      Atomics.wait(this.header, GENERATION, gen, POLL_MS);
      this.throwIfAborted();
    }
    this.throwIfAborted();
  }

  private throwIfAborted(): void {
    const a = Atomics.load(this.header, ABORT);
    if (a !== 0) throw new ReplicaAborted(a as typeof ENDED | typeof FAILED, Atomics.load(this.header, FAILED_RANK));
  }
}
