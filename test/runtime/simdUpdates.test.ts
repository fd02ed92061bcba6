import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { simdAdamW, simdEma, simdUpdatesSwitch } from "../../src/runtime/backend/simdUpdates.js";
import { ownedVariable } from "../../src/runtime/nn/paramStore.js";
import { heapOffset, tfjsHeapMemory } from "../../src/runtime/backend/tfjsHeap.js";
import type { TensorInfo } from "../../src/runtime/backend/wasmKernelTypes.js";

// AdamW and the EMA on the SIMD module in tfjs's wasm heap (simdUpdates.ts), against the same formulas in float64:
// sizes with and without a scalar tail, the moments updated in place, the parameter on new storage.

test("tfjs's wasm heap and a tensor's place in it are reachable (else every SIMD module falls back to copies)", async () => {
  assert.ok((await initBackend("wasm")).ok);
  const memory = tfjsHeapMemory(tf.backend());
  assert.ok(memory, "tfjs's wasm backend no longer exposes its WebAssembly.Memory (wasm.asm.memory)");
  const t = tf.tensor1d([1.5, -2, 3]);
  assert.equal(Array.from(new Float32Array(memory.buffer, heapOffset(tf.backend(), t as unknown as TensorInfo), 3)), [1.5, -2, 3]);
  t.dispose();
});

const seq = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
const step = { beta1: 0.9, beta2: 0.999, decay: 1 - 0.01 * 0.05, stepSize: 0.01 / (1 - 0.9 ** 2), bc2Sqrt: Math.sqrt(1 - 0.999 ** 2), eps: 1e-8 };

for (const n of [1, 4, 7, 1030]) {
  test(`AdamW on the heap: ${n} elements, as the formula in float64 to float32 precision`, async () => {
    assert.ok((await initBackend("wasm")).ok);
    const p0 = seq(n, (i) => Math.sin(i) * 2), g0 = seq(n, (i) => Math.cos(i * 0.7)), m0 = seq(n, (i) => 0.01 * i - 1), v0 = seq(n, (i) => 0.001 * ((i % 13) + 1));
    const p = ownedVariable(tf.tensor1d(p0), true);
    const g = tf.tensor1d(g0);
    const m = ownedVariable(tf.tensor1d(m0), false);
    const v = ownedVariable(tf.tensor1d(v0), false);
    const alias = tf.clone(p); // shares p's storage (wasm's Identity shares by reference count)
    const before = tf.memory().numTensors;
    assert.ok(simdAdamW(p, g, m, v, step));
    assert.is(tf.memory().numTensors, before, "no tensor left behind");
    const [pg, mg, vg] = [p.dataSync(), m.dataSync(), v.dataSync()];
    for (let i = 0; i < n; i++) {
      const mi = step.beta1 * m0[i]! + (1 - step.beta1) * g0[i]!;
      const vi = step.beta2 * v0[i]! + (1 - step.beta2) * g0[i]! * g0[i]!;
      const pi = p0[i]! * step.decay - (step.stepSize * mi) / (Math.sqrt(vi) / step.bc2Sqrt + step.eps);
      assert.ok(Math.abs(mg[i]! - mi) <= 1e-6 * (1 + Math.abs(mi)), `m[${i}] ${mg[i]} vs ${mi}`);
      assert.ok(Math.abs(vg[i]! - vi) <= 1e-6 * (1 + Math.abs(vi)), `v[${i}] ${vg[i]} vs ${vi}`);
      assert.ok(Math.abs(pg[i]! - pi) <= 1e-6 * (1 + Math.abs(pi)), `p[${i}] ${pg[i]} vs ${pi}`);
    }
    assert.equal(Array.from(alias.dataSync()), Array.from(p0), "p's old storage, still another tensor's, is untouched");
    tf.dispose([p, g, m, v, alias]);
  });
}

test("the EMA on the heap: new storage for the copy, as the formula", async () => {
  assert.ok((await initBackend("wasm")).ok);
  const n = 9;
  const c0 = seq(n, (i) => i - 4), o0 = seq(n, (i) => 0.5 * i);
  const copy = ownedVariable(tf.tensor1d(c0), false);
  const online = tf.tensor1d(o0);
  assert.ok(simdEma(copy, online, 0.995));
  copy.dataSync().forEach((x, i) => assert.ok(Math.abs(x - (c0[i]! * 0.995 + o0[i]! * 0.005)) < 1e-6, `${x}`));
  tf.dispose([copy, online]);
});

test("off the module (switch off, or not on wasm) the callers keep their own loops", async () => {
  assert.ok((await initBackend("wasm")).ok);
  const v = ownedVariable(tf.tensor1d([1, 2]), false);
  simdUpdatesSwitch.enabled = false;
  try {
    assert.not.ok(simdEma(v, tf.tensor1d([0, 0]), 0.5));
  } finally {
    simdUpdatesSwitch.enabled = true;
  }
  assert.ok((await initBackend("reference-cpu")).ok);
  const w = ownedVariable(tf.tensor1d([1, 2]), false);
  assert.not.ok(simdEma(w, tf.tensor1d([0, 0]), 0.5));
});

test.run();
