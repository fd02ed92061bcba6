// AdamW exactly as torch.optim.AdamW (decoupled weight decay applied before the moment update, bias-corrected
// moments, eps added to the corrected sqrt(v)), with LAVIS's two parameter groups (no decay for ndim < 2 and
// bias/norm parameters).
import * as tf from "@tensorflow/tfjs";
import { ownedVariable } from "../nn/paramStore.js";

export interface AdamWOptions {
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

export function usesWeightDecay(name: string, shape: readonly number[]): boolean {
  return !(shape.length < 2 || name.includes("bias") || name.includes("ln") || name.includes("bn") || name.includes("norm"));
}

export class AdamW {
  /** Number of optimizer steps taken (torch's per-parameter `step`, identical for all parameters here). */
  step = 0;
  readonly expAvg = new Map<string, tf.Variable>();
  readonly expAvgSq = new Map<string, tf.Variable>();

  constructor(private readonly params: ReadonlyMap<string, tf.Variable>, readonly opts: AdamWOptions) {
    for (const [name, v] of params) {
      this.expAvg.set(name, ownedVariable(tf.zerosLike(v), false));
      this.expAvgSq.set(name, ownedVariable(tf.zerosLike(v), false));
    }
  }

  /** One update with the given gradients (parameters without a gradient are left untouched, as torch does for grad None). */
  apply(grads: Readonly<Record<string, tf.Tensor>>, lr: number): void {
    this.step++;
    const { beta1: b1, beta2: b2, eps } = this.opts;
    const bc1 = 1 - b1 ** this.step;
    const bc2Sqrt = Math.sqrt(1 - b2 ** this.step);
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = grads[name];
        if (!g) continue;
        const m = this.expAvg.get(name)!;
        const v = this.expAvgSq.get(name)!;
        const wd = usesWeightDecay(name, p.shape) ? this.opts.weightDecay : 0;
        const decayed = wd > 0 ? p.mul(1 - lr * wd) : p;
        const m1 = m.mul(b1).add(g.mul(1 - b1));
        const v1 = v.mul(b2).add(g.square().mul(1 - b2));
        m.assign(m1);
        v.assign(v1);
        const denom = tf.sqrt(v1).div(bc2Sqrt).add(eps);
        p.assign(decayed.sub(m1.div(denom).mul(lr / bc1)));
      }
    });
  }

  dispose(): void {
    for (const v of [...this.expAvg.values(), ...this.expAvgSq.values()]) v.dispose();
  }
}
