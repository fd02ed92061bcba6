// AdamW exactly as torch.optim.AdamW (decoupled weight decay applied before the moment update, bias-corrected
// moments, eps added to the corrected sqrt(v)), with LAVIS's two parameter groups: the parameters the RunSpec's
// `noDecay` rule names (the runner's stdlib `adamw`: ndim < 2, or bias/ln/bn in the name) have no weight decay.
import * as tf from "@tensorflow/tfjs";
import { ownedVariable } from "../nn/paramStore.js";
import { assignComputed, readView, writableView } from "../backend/inPlace.js";
import { fusedAdamW, fusedUpdatesAvailable, type AdamWStep } from "../backend/webgpuKernels.js";
import { simdAdamW } from "../backend/simdUpdates.js";
import type { NoDecayRule, OptimizerSpec } from "../runSpec.js";

export interface AdamWOptions {
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly noDecay: NoDecayRule;
}

/** The options of the RunSpec's optimizer. */
export function adamWOptions(o: OptimizerSpec): AdamWOptions {
  return { weightDecay: o.weightDecay, beta1: o.betas[0], beta2: o.betas[1], eps: o.eps, noDecay: o.noDecay };
}

/** Whether the parameter `name` of this shape is decayed: not when `rule` names it (RunnerBase's group without weight decay). */
export function usesWeightDecay(name: string, shape: readonly number[], rule: NoDecayRule): boolean {
  return !(shape.length < rule.belowNdim || rule.nameContains.some((s) => name.includes(s)));
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
    const bc1 = 1 - this.opts.beta1 ** this.step;
    const bc2Sqrt = Math.sqrt(1 - this.opts.beta2 ** this.step);
    for (const [name, p] of this.params) {
      const g = grads[name];
      if (!g) continue;
      const m = this.expAvg.get(name)!;
      const v = this.expAvgSq.get(name)!;
      const wd = usesWeightDecay(name, p.shape, this.opts.noDecay) ? this.opts.weightDecay : 0;
      const step: AdamWStep = { beta1: this.opts.beta1, beta2: this.opts.beta2, decay: 1 - lr * wd, stepSize: lr / bc1, bc2Sqrt, eps: this.opts.eps };
      if (this.applyInPlace(p, g, m, v, step)) continue;
      if (fusedUpdatesAvailable(p, g)) fusedAdamW(p, g, m, v, step);
      else this.applyWithOps(p, g, m, v, lr, wd, bc1, bc2Sqrt);
    }
  }

  /**
   * One loop over the storage (wasm, cpu) instead of about 12 kernel calls per parameter tensor: the moments are
   * updated in place, the parameter gets new storage (see backend/inPlace.ts for why weights are never written in place).
   * On wasm the loop is the SIMD module's (backend/simdUpdates.ts), in tfjs's heap.
   */
  private applyInPlace(p: tf.Variable, g: tf.Tensor, m: tf.Variable, v: tf.Variable, step: AdamWStep): boolean {
    const mv = writableView(m);
    const vv = writableView(v);
    if (!mv || !vv) return false;
    if (simdAdamW(p, g, m, v, step)) return true;
    const { beta1: b1, beta2: b2, decay, stepSize, bc2Sqrt, eps } = step;
    const gv = readView(g);
    const pv = readView(p);
    assignComputed(p, (out) => {
      for (let i = 0; i < out.length; i++) {
        const gi = gv[i]!;
        const mi = b1 * mv[i]! + (1 - b1) * gi;
        const vi = b2 * vv[i]! + (1 - b2) * gi * gi;
        mv[i] = mi;
        vv[i] = vi;
        out[i] = pv[i]! * decay - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
      }
    });
    return true;
  }

  private applyWithOps(p: tf.Variable, g: tf.Tensor, m: tf.Variable, v: tf.Variable, lr: number, wd: number, bc1: number, bc2Sqrt: number): void {
    const { beta1: b1, beta2: b2, eps } = this.opts;
    tf.tidy(() => {
      const decayed = wd > 0 ? p.mul(1 - lr * wd) : p;
      const m1 = m.mul(b1).add(g.mul(1 - b1));
      const v1 = v.mul(b2).add(g.square().mul(1 - b2));
      m.assign(m1);
      v.assign(v1);
      const denom = tf.sqrt(v1).div(bc2Sqrt).add(eps);
      p.assign(decayed.sub(m1.div(denom).mul(lr / bc1)));
    });
  }

  dispose(): void {
    for (const v of [...this.expAvg.values(), ...this.expAvgSq.values()]) v.dispose();
  }
}
