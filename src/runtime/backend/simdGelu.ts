// Exact (erf) GELU and its gradient on a small wasm SIMD module of our own (source: simdGelu.wat). tfjs's wasm Erf
// runs at ~14 ns per element and the GELU around it costs four more element-wise kernels forward and about eight
// backward; this module does each direction in one pass at ~4-7 ns per element, copies in and out included.
// On tfjs's heap the module reads and writes the tensors in place (simdModule.ts DualSimdModule); other arrays, and
// the last n mod 4 elements, are copied into its own memory.

import { DualSimdModule, heapWithRoom } from "./simdModule.js";

/** `wat2wasm simdGelu.wat`, base64. Regenerate after editing the .wat (apt-get install wabt). */
export const WASM_BASE64 = "AGFzbQEAAAABEwNgAXsBe2ADf39/AGAEf39/fwACDwEDZW52Bm1lbW9yeQIAAQMFBAAAAQIHEwIEZ2VsdQACCGdlbHVHcmFkAAMK2wUEpwIBBHsgAEPzBDU//RP95gEhASABQwAAgMD9E/3pAUMAAIBA/RP96AEhASABIAH95gEhAkML35Wv/RMhAyADIAL95gFD7v/tMv0T/eQBIQMgAyAC/eYBQ1H/DLb9E/3kASEDIAMgAv3mAUPSwm64/RP95AEhAyADIAL95gFDY6xAuv0T/eQBIQMgAyAC/eYBQ/ahQbv9E/3kASEDIAMgAv3mAUPU24O8/RP95AEhAyADIAH95gEhA0PNYHS3/RMhBCAEIAL95gFDKb1fuf0T/eQBIQQgBCAC/eYBQ06S3Lr9E/3kASEEIAQgAv3mAUP4m/G7/RP95AEhBCAEIAL95gFDp7ZpvP0T/eQBIQRDAACAP/0TIAMgBP3nAf3kAUMAAAA//RP95gEL8QEBBHsgAEMAAK7C/RP96QEhACAAQzuquD/9E/3mAf1qIQEgACABQwCAMT/9E/3mAf3lASECIAIgAUODgF65/RP95gH95QEhAkMBDVA5/RMhAyADIAL95gFDYQu2Ov0T/eQBIQMgAyAC/eYBQ4mICDz9E/3kASEDIAMgAv3mAUOrqio9/RP95AEhAyADIAL95gFDq6oqPv0T/eQBIQMgAyAC/eYBQwAAAD/9E/3kASEDIAMgAv3mAUMAAIA//RP95AEhAyADIAL95gFDAACAP/0T/eQBIQMgAf34AUH/AP0R/a4BQRf9qwEhBCADIAT95gELRAIBfwF7IAAgAkECdGohAwJAA0AgACADTw0BIAD9AAQAIQQgASAEIAQQAP3mAf0LBAAgAEEQaiEAIAFBEGohAQwACwsLeAIBfwJ7IAEgA0ECdGohBAJAA0AgASAETw0BIAH9AAQAIQUgBRAAIAVDKkLMPv0T/eYBIAUgBf3mAUMAAAC//RP95gEQAf3mAf3kASEGIAIgAP0ABAAgBv3mAf0LBAAgAEEQaiEAIAFBEGohASACQRBqIQIMAAsLCw==";

interface Exports {
  gelu(x: number, y: number, n: number): void;
  geluGrad(dy: number, x: number, dx: number, n: number): void;
}

/** The module (callers keep the tf-ops GELU where this runtime lacks wasm SIMD). */
const geluModule = new DualSimdModule<Exports>(WASM_BASE64);

export function simdGeluAvailable(): boolean {
  return geluModule.available();
}

/** The module's own heap with room for `arrays` arrays of n floats each, every one padded to a multiple of 4. */
function ownHeapFor(n: number, arrays: number): { mod: Exports; heap: Float32Array; stride: number } {
  const own = geluModule.own()!;
  const stride = (n + 3) & ~3;
  return { mod: own.mod, heap: heapWithRoom(own.mem, arrays * stride), stride };
}

/** y = x · Φ(x), element-wise. */
export function simdGelu(y: Float32Array, x: Float32Array): void {
  const whole = x.length & ~3;
  const inHeap = whole > 0 ? geluModule.inHeap([y, x]) : null;
  if (inHeap) inHeap.gelu(x.byteOffset, y.byteOffset, whole);
  const from = inHeap ? whole : 0;
  if (from < x.length) geluCopied(y.subarray(from), x.subarray(from));
}

function geluCopied(y: Float32Array, x: Float32Array): void {
  const n = x.length;
  const { mod, heap, stride } = ownHeapFor(n, 2);
  heap.set(x, 0);
  mod.gelu(0, stride * 4, stride);
  y.set(heap.subarray(stride, stride + n));
}

/** dx = dy · gelu'(x), element-wise. */
export function simdGeluGrad(dx: Float32Array, dy: Float32Array, x: Float32Array): void {
  const whole = x.length & ~3;
  const inHeap = whole > 0 ? geluModule.inHeap([dx, dy, x]) : null;
  if (inHeap) inHeap.geluGrad(dy.byteOffset, x.byteOffset, dx.byteOffset, whole);
  const from = inHeap ? whole : 0;
  if (from < x.length) geluGradCopied(dx.subarray(from), dy.subarray(from), x.subarray(from));
}

function geluGradCopied(dx: Float32Array, dy: Float32Array, x: Float32Array): void {
  const n = x.length;
  const { mod, heap, stride } = ownHeapFor(n, 3);
  heap.set(dy, 0);
  heap.set(x, stride);
  mod.geluGrad(0, stride * 4, stride * 8, stride);
  dx.set(heap.subarray(2 * stride, 2 * stride + n));
}
