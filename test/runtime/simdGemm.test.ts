import { test } from "uvu";
import * as assert from "uvu/assert";
import { simdGemm, simdGemmAvailable } from "../../src/runtime/backend/simdGemm.js";
import { simdBatchedMatMul } from "../../src/runtime/backend/simdMatMul.js";
import { Rng } from "../../src/runtime/train/rng.js";

// The cache-blocked kernel must give the plain SIMD kernel's bits (the same sums in the same order, the k blocks
// continuing through C), whatever the blocks, the transposes and the row tails, and be the product in float64 up to
// float32 rounding.

function random(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

/** op(a) · op(b) in float64. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[tA ? p * m + i : i * k + p]! * b[tB ? j * k + p : p * n + j]!;
    out[i * n + j] = s;
  }
  return out;
}

test("blocked products equal the plain kernel's bits and the float64 product, for every transpose and block size", () => {
  assert.ok(simdGemmAvailable(), "Node >= 20 has wasm SIMD");
  const rng = new Rng(5);
  const shapes: [number, number, number][] = [[1, 1, 8], [3, 5, 8], [13, 300, 16], [70, 9, 24], [131, 517, 40]];
  const blocks = [{ kc: 256, mc: 64 }, { kc: 7, mc: 5 }, { kc: 1, mc: 4 }];
  for (const [m, k, n] of shapes) for (const tA of [false, true]) for (const tB of [false, true]) {
    const a = random(m * k, rng);
    const b = random(k * n, rng);
    const plain = new Float32Array(m * n);
    simdBatchedMatMul(plain, a, b, 1, 1, 1, m, k, n, tA, tB);
    const want = reference(a, b, m, k, n, tA, tB);
    for (const blk of blocks) {
      const got = new Float32Array(m * n);
      simdGemm(got, a, b, m, k, n, tA, tB, blk);
      const what = `${m}x${k}x${n} tA=${tA} tB=${tB} kc=${blk.kc} mc=${blk.mc}`;
      assert.ok(got.every((v, i) => Object.is(v, plain[i])), `${what}: bits differ from the plain kernel`);
      assert.ok(got.every((v, i) => Math.abs(v - want[i]!) <= 1e-5 * k), `${what}: not the product`);
    }
  }
});

test("n must be a multiple of 8", () => {
  assert.throws(() => simdGemm(new Float32Array(12), new Float32Array(6), new Float32Array(8), 3, 2, 4, false, false), /multiple of 8/);
});

test.run();
