// Batched matmul on a small wasm SIMD module of our own (source: simdMatMul.wat). The tfjs wasm backend has no fast
// path for batched products (attention's per-head QK^T and PV and their gradients): its generic loop runs at about
// 1 GFLOP/s, and one XNNPACK call per batch entry pays a fixed cost per call that dominates at these sizes.
// Operands are packed (transposing where asked) into the module's own memory, since tfjs does not export its Memory.

import { simdModuleLoader } from "./simdModule.js";

/** `wat2wasm simdMatMul.wat`, base64. Regenerate after editing the .wat (apt-get install wabt). */
export const WASM_BASE64 = "AGFzbQEAAAABDwFgC39/f39/f39/f39/AAMCAQAFAwEAAQcNAgNtZW0CAANibW0AAAr/CAH8CAULfwN7AX0Hfw57IAhBeHEhDyAIQXxxIRAgCEECdCERIBEhGyAGQXxxQQAgDyAIRhshGgJAA0AgCyADTw0BQQAhDAJAA0AgDCAaTw0BQQAhDQJAA0AgDSAITw0B/QwAAAAAAAAAAAAAAAAAAAAAISf9DAAAAAAAAAAAAAAAAAAAAAAhKP0MAAAAAAAAAAAAAAAAAAAAACEp/QwAAAAAAAAAAAAAAAAAAAAAISr9DAAAAAAAAAAAAAAAAAAAAAAhK/0MAAAAAAAAAAAAAAAAAAAAACEs/QwAAAAAAAAAAAAAAAAAAAAAIS39DAAAAAAAAAAAAAAAAAAAAAAhLiAAIAwgCWxqIRwgHCAJaiEdIB0gCWohHiAeIAlqIR8gASANQQJ0aiEUQQAhDgJAA0AgDiAHTw0BIBT9AAQAISEgFP0ABBAhIiAcKgIA/RMhIyAdKgIA/RMhJCAeKgIA/RMhJSAfKgIA/RMhJiAnICMgIf3mAf3kASEnICggIyAi/eYB/eQBISggKSAkICH95gH95AEhKSAqICQgIv3mAf3kASEqICsgJSAh/eYB/eQBISsgLCAlICL95gH95AEhLCAtICYgIf3mAf3kASEtIC4gJiAi/eYB/eQBIS4gHCAKaiEcIB0gCmohHSAeIApqIR4gHyAKaiEfIBQgEWohFCAOQQFqIQ4MAAsLIAIgDCAbbGogDUECdGohICAgICf9CwQAICAgKP0LBBAgICAbaiEgICAgKf0LBAAgICAq/QsEECAgIBtqISAgICAr/QsEACAgICz9CwQQICAgG2ohICAgIC39CwQAICAgLv0LBBAgDUEIaiENDAALCyAMQQRqIQwMAAsLIAIgDCAbbGohFQJAA0AgDCAGTw0BIAAgDCAJbGohEkEAIQ0CQANAIA0gD08NAf0MAAAAAAAAAAAAAAAAAAAAACEX/QwAAAAAAAAAAAAAAAAAAAAAIRggEiETIAEgDUECdGohFEEAIQ4CQANAIA4gB08NASATKgIA/RMhFiAXIBYgFP0ABAD95gH95AEhFyAYIBYgFP0ABBD95gH95AEhGCATIApqIRMgFCARaiEUIA5BAWohDgwACwsgFSAX/QsEACAVIBj9CwQQIBVBIGohFSANQQhqIQ0MAAsLAkADQCANIBBPDQH9DAAAAAAAAAAAAAAAAAAAAAAhFyASIRMgASANQQJ0aiEUQQAhDgJAA0AgDiAHTw0BIBcgEyoCAP0TIBT9AAQA/eYB/eQBIRcgEyAKaiETIBQgEWohFCAOQQFqIQ4MAAsLIBUgF/0LBAAgFUEQaiEVIA1BBGohDQwACwsCQANAIA0gCE8NAUMAAAAAIRkgEiETIAEgDUECdGohFEEAIQ4CQANAIA4gB08NASAZIBMqAgAgFCoCAJSSIRkgEyAKaiETIBQgEWohFCAOQQFqIQ4MAAsLIBUgGTgCACAVQQRqIRUgDUEBaiENDAALCyAMQQFqIQwMAAsLIAAgBGohACABIAVqIQEgFSECIAtBAWohCwwACwsL";

interface Exports {
  mem: WebAssembly.Memory;
  bmm(a: number, b: number, c: number, batch: number, sa: number, sb: number, m: number, k: number, n: number, aRow: number, aCol: number): void;
}

/** The module, or null where this runtime lacks wasm SIMD (then callers keep the backend's own kernel). */
const simdModule = simdModuleLoader<Exports>(WASM_BASE64);

export function simdMatMulAvailable(): boolean {
  return simdModule() !== null;
}

/**
 * out[b] = op(a[b]) · op(b[b]) for row-major float32 data, op(a) [m, k] (stored [k, m] when transposeA), op(b) [k, n]
 * (stored [n, k] when transposeB). batchA and batchB are each 1 (broadcast) or `batch`.
 */
export function simdBatchedMatMul(
  out: Float32Array, a: Float32Array, b: Float32Array,
  batch: number, batchA: number, batchB: number, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
): void {
  const mod = simdModule();
  if (!mod) throw new Error("wasm SIMD is not available");
  const sizeA = m * k;
  const sizeB = k * n;
  const offA = 0;
  const offB = batchA * sizeA;
  const offC = offB + batchB * sizeB;
  const needBytes = (offC + batch * m * n) * 4;
  const have = mod.mem.buffer.byteLength;
  if (needBytes > have) mod.mem.grow(Math.ceil((needBytes - have) / 65536));
  const heap = new Float32Array(mod.mem.buffer);
  heap.set(a.subarray(0, batchA * sizeA), offA);
  const sa = batchA === 1 ? 0 : sizeA * 4;
  const sb = batchB === 1 ? 0 : sizeB * 4;
  // A transposed is read in place through its strides; B transposed is copied into [k, n] (B is the weight-sized
  // operand in the products of a training step, so the copy is small; a dot-product kernel measured 2x slower).
  if (transposeB) packTransposed(heap, offB, b, batchB, k, n);
  else heap.set(b.subarray(0, batchB * sizeB), offB);
  mod.bmm(offA * 4, offB * 4, offC * 4, batch, sa, sb, m, k, n, transposeA ? 4 : k * 4, transposeA ? m * 4 : 4);
  out.set(heap.subarray(offC, offC + batch * m * n));
}

/** Copies `batches` matrices stored [cols, rows] to dst as row-major [rows, cols]. */
function packTransposed(dst: Float32Array, off: number, src: Float32Array, batches: number, rows: number, cols: number): void {
  const size = rows * cols;
  for (let bi = 0; bi < batches; bi++) {
    const s = bi * size;
    const d = off + bi * size;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[d + r * cols + c] = src[s + c * rows + r]!;
  }
}
