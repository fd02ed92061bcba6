// DDP's all-reduce on the tfjs side: a micro-batch's gradients (and its loss components, for LAVIS's averaged
// epoch stats) leave the device as one flat Float32 vector in the order of `model.trainable`, are averaged across
// the replicas through the ReplicaGroup, and come back as tensors of the same names. Rank 0's parameters are
// broadcast once before the first step, as DDP does when it wraps the model. Each reduction also carries the
// replica's step RNG state (rank r's stream is seeded with seed + r), so rank 0 can checkpoint every rank's.
import * as tf from "@tensorflow/tfjs";
import type { Gradients } from "../train/trainStep.js";
import type { Rng, RngState } from "../train/rng.js";
import type { ReplicaGroup } from "./replicaGroup.js";
import { readView } from "../backend/inPlace.js";

/** Loss components a model may report per step (`loss`, `loss_itc`, ...); room for them after the gradients. */
const MAX_LOSSES = 16;

/** Floats a group needs for the parameters of `trainable` and the loss components. */
export function reductionLength(trainable: ReadonlyMap<string, tf.Variable>): number {
  let n = 0;
  for (const v of trainable.values()) n += v.size;
  return n + MAX_LOSSES;
}

export class GradientReducer {
  private readonly offsets = new Map<string, number>();
  private readonly paramCount: number;
  private restored: RngState[] = [];
  /** Time this replica spent outside compute: gradients to the host, the barriers and the averaging, back to tensors. */
  readonly stats = { steps: 0, readMs: 0, reduceMs: 0, writeMs: 0 };

  /** `rng`: this replica's step RNG, whose state travels with every reduction. */
  constructor(private readonly trainable: ReadonlyMap<string, tf.Variable>, readonly group: ReplicaGroup, private readonly rng: Rng) {
    let off = 0;
    for (const [name, v] of trainable) {
      this.offsets.set(name, off);
      off += v.size;
    }
    this.paramCount = off;
  }

  get rank(): number {
    return this.group.rank;
  }

  /** The replicas' mean gradients and loss components; takes ownership of (and disposes) the inputs. */
  reduce(grads: Gradients, losses: Record<string, tf.Scalar>): { grads: Gradients; losses: Record<string, tf.Scalar> } {
    const names = [...this.trainable.keys()].filter((n) => grads[n]);
    const lossNames = Object.keys(losses);
    if (lossNames.length > MAX_LOSSES) throw new Error(`a replica step reports ${lossNames.length} loss components; at most ${MAX_LOSSES} are reduced`);
    const t0 = performance.now();
    const shapes = Object.fromEntries(names.map((n) => [n, grads[n]!.shape]));
    let t1 = t0;
    // Each gradient is read from the device straight into this replica's shared slot (no concatenated copy; on wasm
    // and cpu from a view of its storage, not a copy of it); a parameter without a gradient contributes zeros.
    const mean = this.group.allReduceMeanInPlace(this.paramCount + lossNames.length, (slot) => {
      for (const [n, v] of this.trainable) {
        const off = this.offsets.get(n)!;
        const g = grads[n];
        if (g) slot.set(readView(g), off);
        else slot.fill(0, off, off + v.size);
      }
      lossNames.forEach((k, j) => (slot[this.paramCount + j] = losses[k]!.dataSync()[0]!));
      tf.dispose([...Object.values(grads), ...Object.values(losses)]);
      t1 = performance.now();
    }, this.rng.state());
    const t2 = performance.now();
    const out: Gradients = {};
    for (const n of names) {
      const off = this.offsets.get(n)!;
      out[n] = tf.tensor(mean.subarray(off, off + this.trainable.get(n)!.size), shapes[n]);
    }
    const outLosses: Record<string, tf.Scalar> = {};
    lossNames.forEach((k, j) => (outLosses[k] = tf.scalar(mean[this.paramCount + j]!)));
    this.stats.steps++;
    this.stats.readMs += t1 - t0;
    this.stats.reduceMs += t2 - t1;
    this.stats.writeMs += performance.now() - t2;
    return { grads: out, losses: outLosses };
  }

  /**
   * Rank 0: the step RNG state of ranks 1..N-1 after the last reduction (no step draws between a reduction and the
   * checkpoint that follows it); empty before the first reduction.
   */
  replicaRngStates(): RngState[] {
    if (!this.group.rankWords.length) return this.restored;
    return this.group.rankWords.slice(1).map((w) => [w[0]!, w[1]!, w[2]!, w[3]!] as const);
  }

  /** Rank 0 after a resume: the states the checkpoint held, reported until the first reduction replaces them. */
  restoredReplicaRngStates(states: readonly RngState[]): void {
    this.restored = [...states];
  }

  /** Every replica takes rank 0's parameter values. */
  broadcastParameters(): void {
    const vars = [...this.trainable.values()];
    let values: Float32Array | number = this.paramCount;
    if (this.group.rank === 0) {
      const all = tf.tidy(() => tf.concat(vars.map((v) => v.reshape([-1]))));
      values = all.dataSync() as Float32Array;
      all.dispose();
    }
    const got = this.group.broadcast(values);
    if (this.group.rank === 0) return;
    let off = 0;
    for (const v of vars) {
      const t = tf.tensor(got.subarray(off, off + v.size), v.shape, v.dtype);
      v.assign(t);
      t.dispose();
      off += v.size;
    }
  }
}

/** One line on the time spent outside compute per reduced micro-batch (rank 0's view). */
export function describeReductionTime(s: GradientReducer["stats"]): string {
  const per = (ms: number) => (ms / Math.max(1, s.steps)).toFixed(1);
  return `replica reduction over ${s.steps} micro-batches, per micro-batch on rank 0: ${per(s.readMs)} ms gradients to shared memory, ${per(s.reduceMs)} ms waiting for the other replicas and averaging, ${per(s.writeMs)} ms back to tensors`;
}
