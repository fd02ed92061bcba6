// The fused LayerNorm kernel (and its gradient) agrees with the same functions written as tf ops.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { fusedKernelsAvailable, fusedLayerNorm } from "../../src/runtime/backend/fusedKernels.js";
import { layerNormWithOps } from "../../src/runtime/nn/layers.js";

function close(got: tf.Tensor, want: tf.Tensor, tol: number, what: string): void {
  assert.equal(got.shape, want.shape, what);
  const g = got.dataSync();
  const w = want.dataSync();
  let worst = 0;
  for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i]! - w[i]!) / (1 + Math.abs(w[i]!)));
  assert.ok(worst < tol, `${what}: max relative difference ${worst}`);
}

for (const backend of ["reference-cpu", "wasm"] as const) {
  test(`LayerNorm values and gradients, fused = tf ops (${backend})`, async () => {
    assert.ok((await initBackend(backend)).ok);
    const x = tf.randomNormal([3, 5, 24], 0.5, 2, "float32", 7);
    const gamma = tf.randomNormal([24], 1, 0.3, "float32", 8);
    const beta = tf.randomNormal([24], 0, 0.3, "float32", 9);
    const dy = tf.randomNormal([3, 5, 24], 0, 1, "float32", 10);
    assert.ok(fusedKernelsAvailable(x, gamma, beta));
    const ln = (f: typeof fusedLayerNorm) => tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => f(a, g, b, 1e-6).mul(dy).sum());
    const [fx, fg, fb] = ln(fusedLayerNorm)([x, gamma, beta]);
    const [ox, og, ob] = ln(layerNormWithOps)([x, gamma, beta]);
    close(fusedLayerNorm(x, gamma, beta, 1e-6), layerNormWithOps(x, gamma, beta, 1e-6), 1e-5, "layer norm");
    close(fx!, ox!, 1e-4, "d/dx");
    close(fg!, og!, 1e-4, "d/dgamma");
    close(fb!, ob!, 1e-4, "d/dbeta");
  });
}

test.run();
