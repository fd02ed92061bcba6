import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { leanSavesSwitch } from "../../src/runtime/backend/leanTapeSaves.js";
import { profileKernels } from "../../src/runtime/backend/kernelProfiler.js";

// Saved tensors for the backward pass (leanTapeSaves.ts): shared on wasm instead of cloned by the engine, with the same
// gradients, the same tensors left afterwards and no Identity kernel runs.

/** Gradients of a small layer stack (matmuls, GELU, layer norm, softmax, a gather) with respect to its weights. */
function layerGrads(): { values: Float32Array[]; tensorsAfter: number } {
  const before = tf.memory().numTensors;
  const grads = tf.tidy(() => {
    const x = tf.randomNormal([6, 5, 16], 0, 1, "float32", 1);
    const w1 = tf.randomNormal([24, 16], 0, 0.3, "float32", 2);
    const w2 = tf.randomNormal([24, 8], 0, 0.3, "float32", 3);
    const table = tf.randomNormal([9, 8], 0, 1, "float32", 4);
    const ids = tf.tensor1d([0, 3, 3, 8, 1, 2], "int32");
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor, t: tf.Tensor) => {
      const h = tf.matMul(x.reshape([30, 16]), a as tf.Tensor2D, false, true);
      const moments = tf.moments(h, -1, true);
      const normed = h.sub(moments.mean).div(moments.variance.add(1e-5).sqrt());
      const act = normed.mul(tf.sigmoid(normed.mul(1.702)));
      const out = tf.matMul(act, b as tf.Tensor2D).reshape([6, 5, 8]);
      const emb = tf.gather(t, ids).expandDims(1);
      return tf.softmax(out.add(emb)).square().sum();
    });
    return g([w1, w2, table]);
  });
  const values = grads.map((t) => t.dataSync().slice() as Float32Array);
  tf.dispose(grads);
  return { values, tensorsAfter: tf.memory().numTensors - before };
}

test("saved tensors shared on wasm: the same gradients and tensors left as the engine's clones, no Identity runs", async () => {
  const info = await initBackend("wasm");
  assert.ok(info.ok && info.name === "wasm");
  try {
    const identityRuns = (lean: boolean): [ReturnType<typeof layerGrads>, number] => {
      leanSavesSwitch.enabled = lean;
      const profiler = profileKernels("wasm");
      try {
        const r = layerGrads();
        return [r, profiler.report().find((k) => k.kernel === "Identity")?.calls ?? 0];
      } finally {
        profiler.uninstall();
      }
    };
    const [cloned, clones] = identityRuns(false);
    const [shared, sharedClones] = identityRuns(true);
    // What is left is a gradient function's own clone (Cast's gradient returns dy.clone()), not a saved tensor.
    assert.ok(clones >= 20, `${clones} Identity runs with the engine's clones`);
    assert.ok(sharedClones <= 1, `${sharedClones} Identity runs with shared saves`);
    assert.is(shared.tensorsAfter, 0, "tensors left behind");
    assert.is(cloned.tensorsAfter, 0);
    assert.is(shared.values.length, 3);
    shared.values.forEach((v, i) => assert.equal(Array.from(v), Array.from(cloned.values[i]!), `gradient ${i}`));
  } finally {
    leanSavesSwitch.enabled = true;
  }
});

test.run();
