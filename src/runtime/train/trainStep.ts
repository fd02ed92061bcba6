// One training step, the same on every backend: a micro-batch's forward and backward pass give gradients (by
// parameter name) and the loss components, all left on the device; gradients add up over `accum_grad_iters`
// micro-batches, then AdamW applies them. Nothing here reads a tensor back to the host.
import * as tf from "@tensorflow/tfjs";
import type { Model, StepContext, TrainBatch } from "../models/model.js";
import type { AdamW } from "../optim/adamW.js";
import type { GradientReducer } from "../replicas/gradientReducer.js";

export type Gradients = Record<string, tf.Tensor>;

export interface MicroBatchResult {
  /** d(loss / accum)/d(parameter), by state-dict name. */
  readonly grads: Gradients;
  /** The model's named loss components (`loss` first) as scalars; the caller owns them. */
  readonly losses: Record<string, tf.Scalar>;
}

/**
 * Forward and backward of one micro-batch, then the model's no-grad updates (queues). `batch.image` is the caller's.
 * The loss is divided by `accum` as LAVIS does before backward.
 */
export function microBatchGradients(model: Model, batch: TrainBatch, ctx: StepContext, accum: number): MicroBatchResult {
  const vars = [...model.trainable.values()];
  const nameOf = new Map([...model.trainable].map(([n, v]) => [v.name, n]));
  const prepared = model.prepareStep(batch, ctx);
  try {
    const r = tf.variableGrads(() => prepared.loss().div(accum) as tf.Scalar, vars);
    r.value.dispose();
    const grads: Gradients = {};
    for (const [k, g] of Object.entries(r.grads)) grads[nameOf.get(k) ?? k] = g;
    const losses = prepared.components();
    prepared.commit();
    return { grads, losses };
  } finally {
    prepared.dispose();
  }
}

/** Sums gradients over micro-batches until the optimizer takes them. */
export class GradientAccumulator {
  private acc: Gradients | null = null;

  /** Takes ownership of `grads`. */
  add(grads: Gradients): void {
    if (this.acc === null) {
      this.acc = grads;
      return;
    }
    const prev = this.acc;
    const next: Gradients = {};
    for (const k of Object.keys(grads)) next[k] = prev[k] ? prev[k]!.add(grads[k]!) : grads[k]!;
    for (const k of Object.keys(prev)) if (!(k in next)) next[k] = prev[k]!;
    const kept = new Set(Object.values(next));
    tf.dispose([...Object.values(prev), ...Object.values(grads)].filter((t) => !kept.has(t)));
    this.acc = next;
  }

  /** The sums so far (ownership passes to the caller); null when nothing was added. */
  take(): Gradients | null {
    const g = this.acc;
    this.acc = null;
    return g;
  }

  /** Drops an incomplete accumulation (LAVIS carries it into the next epoch; the runner drops it at epoch end). */
  dispose(): void {
    if (this.acc) tf.dispose(Object.values(this.acc));
    this.acc = null;
  }
}

/**
 * Micro-batch `i` of an epoch: gradients into the accumulator, and every `accum`-th micro-batch the optimizer step at
 * learning rate `lr`. Returns the loss components (on the device; the caller owns them). With data-parallel replicas
 * (`reducer`), the gradients and losses are every replica's mean, as DDP all-reduces them after each backward.
 */
export function trainStep(model: Model, optimizer: AdamW, acc: GradientAccumulator, batch: TrainBatch, ctx: StepContext, lr: number, accum: number, reducer?: GradientReducer): Record<string, tf.Scalar> {
  const local = microBatchGradients(model, batch, reducer ? { ...ctx, replicas: reducer.group } : ctx, accum);
  const { grads, losses } = reducer ? reducer.reduce(local.grads, local.losses) : local;
  acc.add(grads);
  if ((ctx.iters + 1) % accum === 0) {
    const sum = acc.take()!;
    optimizer.apply(sum, lr);
    tf.dispose(Object.values(sum));
  }
  return losses;
}
