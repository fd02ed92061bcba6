import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { allGatherWithGrad } from "../../src/runtime/models/replicaGathers.js";
import type { CrossReplica } from "../../src/runtime/models/model.js";

// all_gather_with_grad as rank `rank` of 2 sees it, the other replica played by fixed arrays: its tensor in the
// forward gather, and its gradient of the whole concatenation in the backward one.
function fakeReplicas(rank: number, otherValues: Float32Array, otherGrad: Float32Array): { replicas: CrossReplica; calls: number[] } {
  const calls: number[] = [];
  const replicas: CrossReplica = {
    rank, world: 2,
    allGather(values) {
      calls.push(values.length);
      const other = calls.length === 1 ? otherValues : otherGrad;
      const out = new Float32Array(values.length * 2);
      out.set(rank === 0 ? values : other, 0);
      out.set(rank === 0 ? other : values, values.length);
      return out;
    },
  };
  return { replicas, calls };
}

for (const rank of [0, 1]) {
  test(`all_gather_with_grad on rank ${rank} of 2: rank-ordered rows forward, this rank's rows of the summed gradient backward`, async () => {
    assert.ok((await initBackend("reference-cpu")).ok);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const other = Float32Array.from([10, 20, 30, 40, 50, 60]);
    // The other replica's loss gradient with respect to the whole [6, 2] concatenation.
    const otherGrad = Float32Array.from({ length: 12 }, (_, i) => 100 * (i + 1));
    const { replicas, calls } = fakeReplicas(rank, other, otherGrad);
    const weights = tf.tensor2d(Array.from({ length: 12 }, (_, i) => i + 1), [6, 2]);
    let gathered: number[] = [];
    const grad = tf.grad((t: tf.Tensor) => {
      const all = allGatherWithGrad(replicas, t);
      gathered = Array.from(all.dataSync());
      return all.mul(weights).sum();
    })(x);
    const mine = [1, 2, 3, 4, 5, 6];
    assert.equal(gathered, rank === 0 ? [...mine, ...other] : [...other, ...mine]);
    // This loss's gradient of the concatenation is `weights`; this rank's rows of it plus the other replica's.
    const rows = rank * 6;
    const want = Array.from({ length: 6 }, (_, i) => (rows + i + 1) + otherGrad[rows + i]!);
    assert.equal(Array.from(grad.dataSync()), want);
    assert.equal(calls, [6, 12], "one gather forward (this rank's rows), one backward (the whole gradient)");
  });
}

test.run();
