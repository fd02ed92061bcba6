import { test } from "uvu";
import * as assert from "uvu/assert";
import { simdBatchedMatMul, simdMatMulAvailable } from "../../src/runtime/backend/simdMatMul.js";

// The SIMD kernel directly against a float64 triple loop, over shapes that hit every loop tail and layout.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

function reference(a: Float32Array, b: Float32Array, batch: number, batchA: number, batchB: number, m: number, k: number, n: number, tA: boolean, tB: boolean): Float64Array {
  const c = new Float64Array(batch * m * n);
  for (let bi = 0; bi < batch; bi++) {
    const oa = batchA === 1 ? 0 : bi * m * k;
    const ob = batchB === 1 ? 0 : bi * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[oa + (tA ? p * m + i : i * k + p)]! * b[ob + (tB ? j * k + p : p * n + j)]!;
        c[bi * m * n + i * n + j] = s;
      }
    }
  }
  return c;
}

test("the SIMD batched matmul matches a float64 reference on every layout and tail", () => {
  assert.ok(simdMatMulAvailable(), "Node 20 supports wasm SIMD");
  const rand = lcg(42);
  const shapes: [number, number, number, number, number, number][] = [
    // batch, batchA, batchB, m, k, n
    [1, 1, 1, 1, 1, 1], [3, 3, 3, 5, 7, 8], [3, 3, 3, 4, 9, 13], [2, 2, 2, 17, 16, 3], [4, 1, 4, 6, 5, 20],
    [4, 4, 1, 6, 5, 20], [2, 2, 2, 3, 0, 5], [1, 1, 1, 33, 65, 31],
    // the 4-row path (n a multiple of 8), with and without a row tail, a broadcast operand, k = 0
    [2, 1, 2, 9, 6, 16], [1, 1, 1, 8, 3, 24], [3, 3, 1, 4, 17, 8], [2, 2, 2, 4, 0, 8],
  ];
  for (const [batch, batchA, batchB, m, k, n] of shapes) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        const a = Float32Array.from({ length: batchA * m * k }, rand);
        const b = Float32Array.from({ length: batchB * k * n }, rand);
        const out = new Float32Array(batch * m * n).fill(NaN);
        simdBatchedMatMul(out, a, b, batch, batchA, batchB, m, k, n, tA, tB);
        const want = reference(a, b, batch, batchA, batchB, m, k, n, tA, tB);
        for (let i = 0; i < want.length; i++) {
          assert.ok(Math.abs(out[i]! - want[i]!) <= 1e-5 * (1 + Math.abs(want[i]!) + k), `${[batch, batchA, batchB, m, k, n, tA, tB]} at ${i}: ${out[i]} vs ${want[i]}`);
        }
      }
    }
  }
});

test("the kernel's memory grows for operands larger than its initial 64 KiB page", () => {
  const m = 150;
  const k = 120;
  const n = 130;
  const a = new Float32Array(m * k).fill(0.5);
  const b = new Float32Array(k * n).fill(2);
  const out = new Float32Array(m * n);
  simdBatchedMatMul(out, a, b, 1, 1, 1, m, k, n, false, false);
  assert.ok(out.every((x) => x === k), "each output is k * 0.5 * 2");
});

test.run();
