// Gathers across lavisc's replicas as LAVIS's models make them (every replica calls them at the same point of the
// same step): concat_all_gather of several arrays in one exchange (no gradient), and all_gather_with_grad.
//
// all_gather_with_grad is LAVIS's GatherLayer (lavis/models/base_model.py): the forward concatenates every replica's
// tensor in rank order; the backward all-reduces (sums) the gradient of that concatenation over the replicas and
// returns this rank's rows. Backpropagation reaches that gradient at the same point on every replica, so the
// backward's exchange meets too.
import * as tf from "@tensorflow/tfjs";
import type { CrossReplica } from "./model.js";

/** Every replica's `x` (same shape on all) concatenated along axis 0, with gradients flowing back to their owners. */
export function allGatherWithGrad<T extends tf.Tensor>(replicas: CrossReplica, x: T): T {
  const { rank, world } = replicas;
  const gather = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const rows = input.shape[0]!;
    const value = tf.tensor(replicas.allGather(input.dataSync() as Float32Array), [world * rows, ...input.shape.slice(1)]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      // Every replica's gradient of the whole concatenation; this rank's rows summed over replicas in rank order.
      const all = replicas.allGather(dy.dataSync() as Float32Array);
      const size = input.size;
      const mine = new Float32Array(size);
      for (let r = 0; r < world; r++) {
        const from = r * world * size + rank * size;
        for (let i = 0; i < size; i++) mine[i]! += all[from + i]!;
      }
      return tf.tensor(mine, input.shape);
    };
    return { value, gradFunc };
  });
  return gather(x) as T;
}

/** concat_all_gather of several arrays in one exchange: each array's values from every replica, in rank order. */
export function allGatherFields(replicas: CrossReplica, fields: readonly ArrayLike<number>[]): Float32Array[] {
  const n = fields.reduce((sum, f) => sum + f.length, 0);
  const local = new Float32Array(n);
  const offsets: number[] = [];
  let at = 0;
  for (const f of fields) {
    offsets.push(at);
    local.set(f, at);
    at += f.length;
  }
  const all = replicas.allGather(local);
  return fields.map((f, k) => Float32Array.from({ length: replicas.world * f.length }, (_, i) => all[Math.floor(i / f.length) * n + offsets[k]! + (i % f.length)]!));
}
