import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { profileKernels } from "../../src/runtime/backend/kernelProfiler.js";

// Each case is evaluated on the reference cpu backend and on wasm with the replacement kernels.
type Case = { name: string; run: () => tf.Tensor };

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, "float32", seed);
}

const cases: Case[] = [
  { name: "2-D plain", run: () => tf.matMul(seeded([40, 30], 1), seeded([30, 20], 2)) },
  { name: "2-D transposeB", run: () => tf.matMul(seeded([40, 30], 1), seeded([20, 30], 2), false, true) },
  { name: "2-D transposeA", run: () => tf.matMul(seeded([30, 40], 1), seeded([30, 20], 2), true, false) },
  { name: "2-D both transposed", run: () => tf.matMul(seeded([30, 40], 1), seeded([20, 30], 2), true, true) },
  { name: "batched large (split path)", run: () => tf.matMul(seeded([3, 2, 32, 40], 3), seeded([3, 2, 40, 36], 4)) },
  { name: "batched small (slow path)", run: () => tf.matMul(seeded([6, 5, 4], 3), seeded([6, 4, 7], 4)) },
  { name: "batched transposeB", run: () => tf.matMul(seeded([4, 30, 32], 3), seeded([4, 30, 32], 4), false, true) },
  { name: "broadcast batch x 2-D", run: () => tf.matMul(seeded([5, 9, 16], 5), seeded([1, 16, 12], 6)) },
  { name: "broadcast 2-D b transposed", run: () => tf.matMul(seeded([5, 9, 16], 5), seeded([12, 16], 6).expandDims(0), false, true) },
  // The SIMD kernel: column tails (n % 8 in 4..7, n % 4 > 0), transposed A read through strides, transposed B packed.
  { name: "attention scores (SIMD, n=17)", run: () => tf.matMul(seeded([3, 2, 16, 8], 12), seeded([3, 2, 17, 8], 13), false, true) },
  { name: "attention context (SIMD, n=12)", run: () => tf.matMul(seeded([3, 2, 16, 17], 14), seeded([3, 2, 17, 12], 15)) },
  { name: "batched transposeA (SIMD)", run: () => tf.matMul(seeded([4, 9, 5], 16), seeded([4, 9, 11], 17), true, false) },
  { name: "batched both transposed (SIMD)", run: () => tf.matMul(seeded([4, 9, 5], 18), seeded([4, 3, 9], 19), true, true) },
  { name: "broadcast 2-D a x batched b (SIMD)", run: () => tf.matMul(seeded([7, 6], 20), seeded([3, 6, 10], 21)) },
  { name: "2-D small transposed weight (SIMD)", run: () => tf.matMul(seeded([50, 64], 22), seeded([48, 64], 23), false, true) },
  { name: "2-D larger transposed weight (SIMD)", run: () => tf.matMul(seeded([20, 64], 24), seeded([130, 64], 25), false, true) },
  // The cache-blocked kernel (2-D products, n a multiple of 8): several k blocks (KC = 256) and row bands (MC = 64),
  // bands and the whole product ending in m % 4 rows, transposed operands, a batch folded into rows.
  { name: "2-D blocked, 3 k blocks, 3 row bands", run: () => tf.matMul(seeded([150, 600], 31), seeded([600, 24], 32)) },
  { name: "2-D blocked, transposed weight", run: () => tf.matMul(seeded([70, 300], 33), seeded([40, 300], 34), false, true) },
  { name: "2-D blocked, transposed A", run: () => tf.matMul(seeded([300, 70], 35), seeded([300, 16], 36), true, false) },
  { name: "2-D blocked, both transposed", run: () => tf.matMul(seeded([260, 9], 37), seeded([8, 260], 38), true, true) },
  { name: "batch folded into rows, blocked", run: () => tf.matMul(seeded([3, 30, 260], 39), seeded([260, 16], 40)) },
  // n not a multiple of 8 (a vocabulary-sized transposed weight): Transpose + XNNPACK.
  { name: "2-D vocabulary-sized transposed weight (XNNPACK)", run: () => tf.matMul(seeded([3, 1025], 29), seeded([4093, 1025], 30), false, true) },
  { name: "empty inner dimension", run: () => tf.matMul(tf.zeros([2, 3, 0]), tf.zeros([2, 0, 5])) },
  {
    name: "attention gradients (SIMD)",
    run: () => {
      const q = seeded([2, 2, 5, 8], 26);
      const k = seeded([2, 2, 6, 8], 27);
      const v = seeded([2, 2, 6, 8], 28);
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.matMul(tf.softmax(tf.matMul(a as tf.Tensor4D, b as tf.Tensor4D, false, true)), c as tf.Tensor4D).square().sum();
      const g = tf.grads(f)([q, k, v]);
      return tf.concat(g.map((x) => x.flatten()));
    },
  },
  {
    name: "matmul gradients",
    run: () => {
      const x = seeded([4, 10, 16], 7);
      const w = seeded([24, 16], 8);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.matMul(a.reshape([40, 16]) as tf.Tensor2D, b as tf.Tensor2D, false, true).square().sum());
      const [gx, gw] = g([x, w]);
      return tf.concat([gx!.flatten(), gw!.flatten()]);
    },
  },
  // Sum over leading axes takes the SIMD column sum (simdColumnSum.ts); other axes keep wasm's own kernel.
  { name: "sum over rows (a bias gradient), 13 columns", run: () => tf.sum(seeded([37, 13], 41), 0) },
  { name: "sum over two leading axes, kept", run: () => tf.sum(seeded([3, 5, 12], 42), [1, 0], true) },
  { name: "sum over axis -2 of a matrix", run: () => tf.sum(seeded([9, 8], 43), -2) },
  { name: "sum over the last axis (wasm's own)", run: () => tf.sum(seeded([7, 9], 44), 1) },
  { name: "sum over every axis (wasm's own)", run: () => tf.sum(seeded([4, 6], 45)) },
  { name: "bias gradient through the tape", run: () => tf.grad((b: tf.Tensor) => seeded([24, 16, 20], 46).add(b).square().sum())(seeded([20], 47)) },
  // Gathers along axis 0 copy rows (rowGather.ts); other axes keep wasm's own kernel.
  { name: "row gather, 2-D indices (an embedding lookup)", run: () => tf.gather(seeded([11, 6], 48), tf.tensor2d([[0, 10, 3], [3, 3, 7]], [2, 3], "int32")) },
  { name: "row gather from a 3-D table, axis -3", run: () => tf.gather(seeded([5, 2, 3], 49), tf.tensor1d([4, 0, 4], "int32"), -3) },
  { name: "row gather of int32 values", run: () => tf.gather(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], "int32"), tf.tensor1d([2, 1], "int32")).toFloat() },
  { name: "gather along axis 1 (wasm's own)", run: () => tf.gather(seeded([4, 7], 50), tf.tensor1d([6, 0, 2], "int32"), 1) },
  {
    name: "gather gradient (UnsortedSegmentSum)",
    run: () => {
      const table = seeded([7, 5], 9);
      const ids = tf.tensor1d([0, 3, 3, 6, 1, 3], "int32");
      return tf.grad((t: tf.Tensor) => tf.gather(t, ids).mul(seeded([6, 5], 10)).sum())(table);
    },
  },
  // Slices and splits copy only their part from the heap (heapSlice.ts).
  { name: "slice of a 3-D tensor, inner block", run: () => tf.slice(seeded([4, 6, 5], 51), [1, 2, 1], [2, 3, 3]) },
  { name: "slice of a 4-D tensor, to the end", run: () => tf.slice(seeded([2, 3, 4, 5], 52), [1, 0, 2, 1], [-1, 2, -1, 3]) },
  { name: "slice contiguous rows", run: () => tf.slice(seeded([6, 4], 53), [2, 0], [3, 4]) },
  { name: "slice of a 1-D tensor", run: () => tf.slice(seeded([9], 54), [3], [4]) },
  { name: "slice of int32", run: () => tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], "int32"), [0, 1], [2, 2]).toFloat() },
  { name: "slice of bool", run: () => tf.slice(tf.tensor2d([1, 0, 1, 1, 0, 0], [3, 2], "bool"), [1, 0], [2, 1]).toFloat() },
  { name: "empty slice", run: () => tf.slice(seeded([3, 4], 55), [1, 1], [0, 2]) },
  { name: "split along the last axis (q, k, v)", run: () => tf.concat(tf.split(seeded([2, 5, 12], 56), 3, -1).map((t, i) => t.mul(i + 1)), 1) },
  { name: "split with sizes along axis 1", run: () => tf.concat(tf.split(seeded([3, 7, 2], 57), [2, 4, 1], 1).map((t, i) => t.add(i)), 1) },
  { name: "slice gradient", run: () => tf.grad((t: tf.Tensor) => tf.slice(t, [0, 1, 1], [2, 2, 3]).square().sum())(seeded([3, 4, 5], 58)) },
  {
    name: "unsortedSegmentSum direct",
    run: () => tf.unsortedSegmentSum(seeded([6, 3, 2], 11), tf.tensor1d([2, 0, 2, 1, 4, 0], "int32"), 5),
  },
];

test("replacement wasm kernels match the cpu backend", async () => {
  const ref = await initBackend("reference-cpu");
  assert.ok(ref.ok);
  const expected = cases.map((c) => ({ shape: c.run().shape, data: c.run().dataSync().slice() }));
  const info = await initBackend("wasm");
  assert.ok(info.ok && info.name === "wasm");
  cases.forEach((c, i) => {
    const got = c.run();
    assert.equal(got.shape, expected[i]!.shape, c.name);
    const g = got.dataSync();
    let maxErr = 0;
    for (let j = 0; j < g.length; j++) maxErr = Math.max(maxErr, Math.abs(g[j]! - expected[i]!.data[j]!) / (1 + Math.abs(expected[i]!.data[j]!)));
    assert.ok(maxErr < 1e-4, `${c.name}: max relative error ${maxErr}`);
  });
});

test("a row gather refuses an index out of range as wasm's kernel does", async () => {
  const info = await initBackend("wasm");
  assert.ok(info.ok && info.name === "wasm");
  assert.throws(() => tf.gather(seeded([3, 2], 51), tf.tensor1d([1, 3], "int32")), /GatherV2: the index value 3 is not in \[0, 2\]/);
  assert.throws(() => tf.gather(seeded([3, 2], 51), tf.tensor1d([-1], "int32")), /the index value -1 is not in/);
});

test("Identity shares storage on wasm (a clone is a reference, disposal is counted), strings keep wasm's own copy", async () => {
  assert.ok((await initBackend("wasm")).ok);
  const x = tf.tensor1d([1, 2, 3]);
  const backend = tf.backend() as unknown as { refCount(id: object): number };
  const y = tf.clone(x);
  assert.is(backend.refCount(x.dataId as object), 2);
  x.dispose();
  assert.equal([...y.dataSync()], [1, 2, 3], "the clone outlives the original");
  y.dispose();
  assert.equal(tf.clone(tf.tensor(["a", "b"])).arraySync(), ["a", "b"]);
});

test("the kernel profiler counts kernel calls and restores the kernels it wrapped", async () => {
  assert.ok((await initBackend("wasm")).ok);
  const before = tf.getKernel("BatchMatMul", "wasm")!.kernelFunc;
  const prof = profileKernels("wasm", (k, inputs) => `${k} ${Object.keys(inputs as object).length}`);
  tf.tidy(() => {
    tf.matMul(seeded([4, 3], 1), seeded([3, 2], 2)).dataSync();
    tf.matMul(seeded([4, 3], 1), seeded([3, 2], 2)).dataSync();
  });
  const mm = prof.report().find((s) => s.kernel === "BatchMatMul 2");
  assert.ok(mm, "BatchMatMul is reported under the caller's key");
  assert.is(mm.calls, 2);
  assert.ok(mm.ms >= 0);
  prof.uninstall();
  assert.is(tf.getKernel("BatchMatMul", "wasm")!.kernelFunc, before);
});

test("a missing native backend is reported as data with an install hint", async () => {
  const r = await initBackend("cuda");
  if (r.ok) return; // a machine with tfjs-node-gpu installed
  assert.match(r.message, /tfjs-node-gpu/);
  assert.match(r.hint, /recipe\.device=auto/);
});

test("cpu without tfjs-node falls back to wasm with a warning", async () => {
  const r = await initBackend("cpu");
  assert.ok(r.ok);
  if (r.name === "wasm") assert.ok(r.warnings.some((w) => /tfjs-node/.test(w)));
});

test.run();
