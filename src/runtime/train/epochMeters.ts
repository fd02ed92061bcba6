// The running means LAVIS's MetricLogger keeps for one epoch (lr and every loss component), with the losses left on
// the device until they are needed: a step hands over its loss tensors, and `flush` reads every pending one with a
// single device read (once per log interval, at the end of the epoch and before a checkpoint), so a GPU never waits
// for the host between steps. Sums are taken in step order, so the means do not depend on when reads happen.
import * as tf from "@tensorflow/tfjs";

export type MeterSums = Record<string, { sum: number; count: number }>;

interface PendingStep {
  readonly step: number;
  readonly lr: number;
  readonly losses: Readonly<Record<string, tf.Scalar>>;
}

export interface ReadStep {
  readonly step: number;
  readonly lr: number;
  readonly losses: Readonly<Record<string, number>>;
}

export class EpochMeters {
  private readonly sums = new Map<string, { sum: number; count: number }>();
  private pending: PendingStep[] = [];

  /** `resumed`: the sums of an epoch interrupted part-way (checkpoint_interrupted). */
  constructor(resumed: MeterSums | null = null) {
    if (resumed) for (const [k, v] of Object.entries(resumed)) this.sums.set(k, { ...v });
    else this.sums.set("lr", { sum: 0, count: 0 });
  }

  /** Takes ownership of `losses` (scalars on the device). */
  add(step: number, lr: number, losses: Readonly<Record<string, tf.Scalar>>): void {
    this.pending.push({ step, lr, losses });
  }

  get pendingSteps(): number {
    return this.pending.length;
  }

  /**
   * Reads the pending losses (one read) and adds them to the sums in step order. Stops at the first step whose loss
   * is not finite and returns it (that step and later ones are not counted); else null. `read` lists the steps read.
   */
  async flush(read: (steps: ReadStep[]) => void = () => undefined): Promise<{ step: number; loss: number } | null> {
    const pending = this.pending;
    this.pending = [];
    if (!pending.length) return null;
    const order = pending.flatMap((p) => Object.keys(p.losses).map((k) => [p, k] as const));
    const all = order.map(([p, k]) => p.losses[k]!);
    let values: Float32Array;
    try {
      const stacked = tf.stack(all);
      values = (await stacked.data()) as Float32Array;
      stacked.dispose();
    } finally {
      tf.dispose(all);
    }
    const steps: ReadStep[] = [];
    let at = 0;
    let bad: { step: number; loss: number } | null = null;
    for (const p of pending) {
      const losses: Record<string, number> = {};
      for (const k of Object.keys(p.losses)) losses[k] = values[at++]!;
      if (bad) continue;
      const loss = losses["loss"];
      if (loss === undefined || !Number.isFinite(loss)) {
        bad = { step: p.step, loss: loss ?? NaN };
        continue;
      }
      this.count("lr", p.lr);
      for (const [k, v] of Object.entries(losses)) this.count(k, v);
      steps.push({ step: p.step, lr: p.lr, losses });
    }
    read(steps);
    return bad;
  }

  /** The means of every meter (call after `flush`). */
  means(): Record<string, number> {
    return Object.fromEntries([...this.sums].map(([k, m]) => [k, m.sum / Math.max(m.count, 1)]));
  }

  /** The sums, for checkpoint_interrupted (call after `flush`). */
  snapshot(): MeterSums {
    return Object.fromEntries([...this.sums].map(([k, v]) => [k, { ...v }]));
  }

  dispose(): void {
    for (const p of this.pending) tf.dispose(Object.values(p.losses));
    this.pending = [];
  }

  private count(key: string, value: number): void {
    const m = this.sums.get(key) ?? { sum: 0, count: 0 };
    m.sum += value;
    m.count++;
    this.sums.set(key, m);
  }
}
