// Large 2-D products on a cache-blocked wasm SIMD kernel of our own (source: simdGemm.wat): B is packed into panels
// of 8 columns and the product runs in kc x mc blocks, so it keeps its speed where the plain kernel (simdMatMul.ts)
// streams a B larger than the caches from memory once per 4 rows of A. The sums run in the same order as that
// kernel's (k blocks continue the same accumulators through C), so both give the same bits.

import { DualSimdModule, heapWithRoom } from "./simdModule.js";

/** `wat2wasm simdGemm.wat`, base64. Regenerate after editing the .wat (apt-get install wabt). */
export const WASM_BASE64 = "AGFzbQEAAAABFQJgBH9/f38AYAp/f39/f39/f39/AAIPAQNlbnYGbWVtb3J5AgABAwQDAAABByADBHBhY2sAAA5wYWNrVHJhbnNwb3NlZAABBGdlbW0AAgrvCQNrAQR/IANBAnQhBwJAA0AgBCADTw0BIAAgBEECdGohBkEAIQUCQANAIAUgAk8NASABIAb9AAQA/QsEACABIAb9AAQQ/QsEECABQSBqIQEgBiAHaiEGIAVBAWohBQwACwsgBEEIaiEEDAALCwt9AQV/IAJBAnQhBwJAA0AgBCADTw0BQQAhBQJAA0AgBSACTw0BIAAgBCAHbGogBUECdGohCEEAIQYCQANAIAZBCE8NASABIAgqAgA4AgAgAUEEaiEBIAggB2ohCCAGQQFqIQYMAAsLIAVBAWohBQwACwsgBEEIaiEEDAALCwuCCAIRfw57IAVBAnQhEwJAA0AgCiAETw0BIAYgBCAKayAGIAQgCmtJGyELIApFIRJBACEMAkADQCAMIANPDQEgDCAHaiADIAwgB2ogA0kbIQ0gDCANIAxrQXxxaiEOQQAhDwJAA0AgDyAFTw0BIAEgDyAEbCAKQQN0akECdGohFCAMIRACQANAIBAgDk8NASACIBAgE2wgD0ECdGpqIRogEgRA/QwAAAAAAAAAAAAAAAAAAAAAISH9DAAAAAAAAAAAAAAAAAAAAAAhIv0MAAAAAAAAAAAAAAAAAAAAACEj/QwAAAAAAAAAAAAAAAAAAAAAIST9DAAAAAAAAAAAAAAAAAAAAAAhJf0MAAAAAAAAAAAAAAAAAAAAACEm/QwAAAAAAAAAAAAAAAAAAAAAISf9DAAAAAAAAAAAAAAAAAAAAAAhKAUgGv0ABAAhISAa/QAEECEiIBogE2r9AAQAISMgGiATav0ABBAhJCAaIBNBAXRq/QAEACElIBogE0EBdGr9AAQQISYgGiATQQNsav0ABAAhJyAaIBNBA2xq/QAEECEoCyAAIBAgCGwgCiAJbGpqIRYgFiAIaiEXIBcgCGohGCAYIAhqIRkgFCEVQQAhEQJAA0AgESALTw0BIBX9AAQAIRsgFf0ABBAhHCAW/QkCACEdIBf9CQIAIR4gGP0JAgAhHyAZ/QkCACEgICEgHSAb/eYB/eQBISEgIiAdIBz95gH95AEhIiAjIB4gG/3mAf3kASEjICQgHiAc/eYB/eQBISQgJSAfIBv95gH95AEhJSAmIB8gHP3mAf3kASEmICcgICAb/eYB/eQBIScgKCAgIBz95gH95AEhKCAWIAlqIRYgFyAJaiEXIBggCWohGCAZIAlqIRkgFUEgaiEVIBFBAWohEQwACwsgGiAh/QsEACAaICL9CwQQIBogE2ohGiAaICP9CwQAIBogJP0LBBAgGiATaiEaIBogJf0LBAAgGiAm/QsEECAaIBNqIRogGiAn/QsEACAaICj9CwQQIBBBBGohEAwACwsCQANAIBAgDU8NASACIBAgE2wgD0ECdGpqIRogEgRA/QwAAAAAAAAAAAAAAAAAAAAAISH9DAAAAAAAAAAAAAAAAAAAAAAhIgUgGv0ABAAhISAa/QAEECEiCyAAIBAgCGwgCiAJbGpqIRYgFCEVQQAhEQJAA0AgESALTw0BIBb9CQIAIR0gISAdIBX9AAQA/eYB/eQBISEgIiAdIBX9AAQQ/eYB/eQBISIgFiAJaiEWIBVBIGohFSARQQFqIREMAAsLIBogIf0LBAAgGiAi/QsEECAQQQFqIRAMAAsLIA9BCGohDwwACwsgDSEMDAALCyAKIAZqIQoMAAsLCw==";

interface Exports {
  pack(src: number, dst: number, k: number, n: number): void;
  packTransposed(src: number, dst: number, k: number, n: number): void;
  gemm(a: number, bp: number, c: number, m: number, k: number, n: number, kc: number, mc: number, aRow: number, aCol: number): void;
}

const gemmModule = new DualSimdModule<Exports>(WASM_BASE64);

/** Rows of the panels per block (a panel's block, KC · 32 bytes, stays in L1). */
export const KC = 256;
/** Rows of A per band (the band's KC columns, MC · KC · 4 bytes, stay in L2). */
export const MC = 64;

export function simdGemmAvailable(): boolean {
  return gemmModule.available();
}

/**
 * out = op(a) · op(b) for row-major float32 data: op(a) [m, k], stored [k, m] when transposeA; op(b) [k, n], stored
 * [n, k] when transposeB. n must be a multiple of 8.
 */
export function simdGemm(
  out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean, blocks = { kc: KC, mc: MC },
): void {
  const own = gemmModule.own();
  if (!own) throw new Error("wasm SIMD is not available");
  if (n % 8 !== 0) throw new Error(`simdGemm needs n to be a multiple of 8, got ${n}`);
  const offA = 0;
  const offB = m * k;
  const offPacked = offB + k * n;
  const offC = offPacked + k * n;
  const heap = heapWithRoom(own.mem, offC + m * n);
  heap.set(a.subarray(0, m * k), offA);
  heap.set(b.subarray(0, k * n), offB);
  run(own.mod, { a: offA * 4, b: offB * 4, packed: offPacked * 4, c: offC * 4 }, m, k, n, transposeA, transposeB, blocks);
  out.set(heap.subarray(offC, offC + m * n));
}

/** Byte offsets of a product's operands, its packed B (k · n floats of scratch) and its result, in one memory. */
export interface GemmOperands {
  readonly a: number;
  readonly b: number;
  readonly packed: number;
  readonly c: number;
}

/**
 * The same product on operands already in `memory` (tfjs's wasm heap: `tfjsHeap.ts`), written in place: no copies.
 * Returns false when wasm SIMD is not available.
 */
export function simdGemmInMemory(memory: WebAssembly.Memory, at: GemmOperands, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean, blocks = { kc: KC, mc: MC }): boolean {
  const mod = gemmModule.on(memory);
  if (!mod) return false;
  if (n % 8 !== 0) throw new Error(`simdGemm needs n to be a multiple of 8, got ${n}`);
  run(mod, at, m, k, n, transposeA, transposeB, blocks);
  return true;
}

function run(mod: Exports, at: GemmOperands, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean, blocks: { kc: number; mc: number }): void {
  if (transposeB) mod.packTransposed(at.b, at.packed, k, n);
  else mod.pack(at.b, at.packed, k, n);
  mod.gemm(at.a, at.packed, at.c, m, k, n, blocks.kc, blocks.mc, transposeA ? 4 : k * 4, transposeA ? m * 4 : 4);
}
