// Batched matmul on a small wasm SIMD module of our own (source: simdMatMul.wat). The tfjs wasm backend has no fast
// path for batched products (attention's per-head QK^T and PV and their gradients): its generic loop runs at about
// 1 GFLOP/s, and one XNNPACK call per batch entry pays a fixed cost per call that dominates at these sizes.
// On tfjs's heap the module reads the operands and writes the product in place (`simdBatchedMatMulInMemory`; a
// transposed B is untransposed into scratch there); other arrays are copied into its own memory.

import { DualSimdModule, heapWithRoom } from "./simdModule.js";

/** `wat2wasm simdMatMul.wat`, base64. Regenerate after editing the .wat (apt-get install wabt). */
export const WASM_BASE64 = "AGFzbQEAAAABFwJgBX9/f39/AGALf39/f39/f39/f38AAg8BA2VudgZtZW1vcnkCAAEDAwIAAQcVAgt1bnRyYW5zcG9zZQAAA2JtbQABCoIKAoEBAQV/IANBAnQhCQJAA0AgBSACTw0BQQAhBgJAA0AgBiADTw0BIAAgBkECdGohCEEAIQcCQANAIAcgBE8NASABIAgqAgA4AgAgAUEEaiEBIAggCWohCCAHQQFqIQcMAAsLIAZBAWohBgwACwsgACAJIARsaiEAIAVBAWohBQwACwsL/AgFC38DewF9B38OeyAIQXhxIQ8gCEF8cSEQIAhBAnQhESARIRsgBkF8cUEAIA8gCEYbIRoCQANAIAsgA08NAUEAIQwCQANAIAwgGk8NAUEAIQ0CQANAIA0gCE8NAf0MAAAAAAAAAAAAAAAAAAAAACEn/QwAAAAAAAAAAAAAAAAAAAAAISj9DAAAAAAAAAAAAAAAAAAAAAAhKf0MAAAAAAAAAAAAAAAAAAAAACEq/QwAAAAAAAAAAAAAAAAAAAAAISv9DAAAAAAAAAAAAAAAAAAAAAAhLP0MAAAAAAAAAAAAAAAAAAAAACEt/QwAAAAAAAAAAAAAAAAAAAAAIS4gACAMIAlsaiEcIBwgCWohHSAdIAlqIR4gHiAJaiEfIAEgDUECdGohFEEAIQ4CQANAIA4gB08NASAU/QAEACEhIBT9AAQQISIgHCoCAP0TISMgHSoCAP0TISQgHioCAP0TISUgHyoCAP0TISYgJyAjICH95gH95AEhJyAoICMgIv3mAf3kASEoICkgJCAh/eYB/eQBISkgKiAkICL95gH95AEhKiArICUgIf3mAf3kASErICwgJSAi/eYB/eQBISwgLSAmICH95gH95AEhLSAuICYgIv3mAf3kASEuIBwgCmohHCAdIApqIR0gHiAKaiEeIB8gCmohHyAUIBFqIRQgDkEBaiEODAALCyACIAwgG2xqIA1BAnRqISAgICAn/QsEACAgICj9CwQQICAgG2ohICAgICn9CwQAICAgKv0LBBAgICAbaiEgICAgK/0LBAAgICAs/QsEECAgIBtqISAgICAt/QsEACAgIC79CwQQIA1BCGohDQwACwsgDEEEaiEMDAALCyACIAwgG2xqIRUCQANAIAwgBk8NASAAIAwgCWxqIRJBACENAkADQCANIA9PDQH9DAAAAAAAAAAAAAAAAAAAAAAhF/0MAAAAAAAAAAAAAAAAAAAAACEYIBIhEyABIA1BAnRqIRRBACEOAkADQCAOIAdPDQEgEyoCAP0TIRYgFyAWIBT9AAQA/eYB/eQBIRcgGCAWIBT9AAQQ/eYB/eQBIRggEyAKaiETIBQgEWohFCAOQQFqIQ4MAAsLIBUgF/0LBAAgFSAY/QsEECAVQSBqIRUgDUEIaiENDAALCwJAA0AgDSAQTw0B/QwAAAAAAAAAAAAAAAAAAAAAIRcgEiETIAEgDUECdGohFEEAIQ4CQANAIA4gB08NASAXIBMqAgD9EyAU/QAEAP3mAf3kASEXIBMgCmohEyAUIBFqIRQgDkEBaiEODAALCyAVIBf9CwQAIBVBEGohFSANQQRqIQ0MAAsLAkADQCANIAhPDQFDAAAAACEZIBIhEyABIA1BAnRqIRRBACEOAkADQCAOIAdPDQEgGSATKgIAIBQqAgCUkiEZIBMgCmohEyAUIBFqIRQgDkEBaiEODAALCyAVIBk4AgAgFUEEaiEVIA1BAWohDQwACwsgDEEBaiEMDAALCyAAIARqIQAgASAFaiEBIBUhAiALQQFqIQsMAAsLCw==";

interface Exports {
  bmm(a: number, b: number, c: number, batch: number, sa: number, sb: number, m: number, k: number, n: number, aRow: number, aCol: number): void;
  untranspose(src: number, dst: number, batches: number, rows: number, cols: number): void;
}

/** The module (callers keep the backend's own kernel where this runtime lacks wasm SIMD). */
const matMulModule = new DualSimdModule<Exports>(WASM_BASE64);

export function simdMatMulAvailable(): boolean {
  return matMulModule.available();
}

/**
 * out[b] = op(a[b]) · op(b[b]) for row-major float32 data, op(a) [m, k] (stored [k, m] when transposeA), op(b) [k, n]
 * (stored [n, k] when transposeB). batchA and batchB are each 1 (broadcast) or `batch`.
 */
export function simdBatchedMatMul(
  out: Float32Array, a: Float32Array, b: Float32Array,
  batch: number, batchA: number, batchB: number, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
): void {
  const own = matMulModule.own();
  if (!own) throw new Error("wasm SIMD is not available");
  const { mod, mem } = own;
  const sizeA = m * k;
  const sizeB = k * n;
  const offA = 0;
  const offB = batchA * sizeA;
  const offC = offB + batchB * sizeB;
  // A transposed B is copied in as it is, past C, and untransposed into B's place by the module.
  const offBt = offC + batch * m * n;
  const heap = heapWithRoom(mem, transposeB ? offBt + batchB * sizeB : offC + batch * m * n);
  heap.set(a.subarray(0, batchA * sizeA), offA);
  const sa = batchA === 1 ? 0 : sizeA * 4;
  const sb = batchB === 1 ? 0 : sizeB * 4;
  // A transposed is read in place through its strides; B transposed is untransposed into [k, n] by the module (a
  // dot-product kernel measured 2x slower; the same loop in JavaScript took about 1 ms of a benchmark step).
  if (transposeB) {
    heap.set(b.subarray(0, batchB * sizeB), offBt);
    mod.untranspose(offBt * 4, offB * 4, batchB, k, n);
  } else heap.set(b.subarray(0, batchB * sizeB), offB);
  mod.bmm(offA * 4, offB * 4, offC * 4, batch, sa, sb, m, k, n, transposeA ? 4 : k * 4, transposeA ? m * 4 : 4);
  out.set(heap.subarray(offC, offC + batch * m * n));
}

/** Byte offsets in one memory: the operands, the product, and scratch for B untransposed (batchB · k · n floats, when transposeB). */
export interface BatchedOperands {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly untransposedB: number | null;
}

/**
 * The same product on operands already in `memory` (tfjs's wasm heap), written in place. False when wasm SIMD is not
 * available.
 */
export function simdBatchedMatMulInMemory(
  memory: WebAssembly.Memory, at: BatchedOperands,
  batch: number, batchA: number, batchB: number, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
): boolean {
  const mod = matMulModule.on(memory);
  if (!mod) return false;
  let b = at.b;
  if (transposeB) {
    if (at.untransposedB === null) throw new Error("a transposed B needs scratch to be untransposed into");
    mod.untranspose(at.b, at.untransposedB, batchB, k, n);
    b = at.untransposedB;
  }
  const sa = batchA === 1 ? 0 : m * k * 4;
  const sb = batchB === 1 ? 0 : k * n * 4;
  mod.bmm(at.a, b, at.c, batch, sa, sb, m, k, n, transposeA ? 4 : k * 4, transposeA ? m * 4 : 4);
  return true;
}
