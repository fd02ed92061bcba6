// The fused LayerNorm and GELU kernels (and their gradients) agree with the same functions written as tf ops, and the
// GELU with a float64 reference.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { fusedGelu, fusedGeluAvailable, fusedKernelsAvailable, fusedLayerNorm } from "../../src/runtime/backend/fusedKernels.js";
import { geluWithOps, layerNormWithOps } from "../../src/runtime/nn/layers.js";

function close(got: tf.Tensor, want: tf.Tensor, tol: number, what: string): void {
  assert.equal(got.shape, want.shape, what);
  const g = got.dataSync();
  const w = want.dataSync();
  let worst = 0;
  for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i]! - w[i]!) / (1 + Math.abs(w[i]!)));
  assert.ok(worst < tol, `${what}: max relative difference ${worst}`);
}

for (const backend of ["reference-cpu", "wasm"] as const) {
  // Width 24 takes the wasm SIMD module, width 23 the plain-JS loops.
  for (const d of [24, 23]) test(`LayerNorm values and gradients, fused = tf ops (${backend}, width ${d})`, async () => {
    assert.ok((await initBackend(backend)).ok);
    const x = tf.randomNormal([3, 5, d], 0.5, 2, "float32", 7);
    const gamma = tf.randomNormal([d], 1, 0.3, "float32", 8);
    const beta = tf.randomNormal([d], 0, 0.3, "float32", 9);
    const dy = tf.randomNormal([3, 5, d], 0, 1, "float32", 10);
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

/** erf in float64: its Taylor series below 3, the continued fraction of erfc above. */
function erf64(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-18; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (sum * 2) / Math.sqrt(Math.PI);
  }
  let f = 0;
  for (let k = 60; k >= 1; k--) f = k / 2 / (ax + f);
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f));
}

for (const backend of ["reference-cpu", "wasm"] as const) {
  test(`GELU values and gradients, fused = tf ops = float64 (${backend})`, async () => {
    assert.ok((await initBackend(backend)).ok);
    // 7·5·13 elements: not a multiple of the kernel's 4 lanes; the last row reaches the clamps (|x/√2| > 4, e^-87).
    const values = Array.from({ length: 7 * 5 * 13 }, (_, i) => (i < 13 * 34 ? Math.sin(i * 1.7) * 4 : (i - 13 * 34) * 2 - 14));
    const x = tf.tensor(values, [7, 5, 13], "float32");
    const dy = tf.randomNormal([7, 5, 13], 0, 1, "float32", 11);
    assert.ok(fusedGeluAvailable(x));
    const grad = (f: (t: tf.Tensor) => tf.Tensor) => tf.grad((a: tf.Tensor) => f(a).mul(dy).sum())(x);
    close(fusedGelu(x), geluWithOps(x), 1e-6, "gelu");
    close(grad(fusedGelu), grad(geluWithOps), 1e-5, "d/dx");
    const xs = x.dataSync();
    const want = Array.from(xs, (v) => 0.5 * v * (1 + erf64(v * Math.SQRT1_2)));
    const wantGrad = Array.from(xs, (v, i) => dy.dataSync()[i]! * (0.5 * (1 + erf64(v * Math.SQRT1_2)) + (v * Math.exp((-v * v) / 2)) / Math.sqrt(2 * Math.PI)));
    close(fusedGelu(x), tf.tensor(want, x.shape), 1e-6, "gelu against float64");
    close(grad(fusedGelu), tf.tensor(wantGrad, x.shape), 1e-6, "d/dx against float64");
  });
}

test.run();
