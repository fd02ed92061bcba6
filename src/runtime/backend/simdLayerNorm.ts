// LayerNorm and its gradient on a small wasm SIMD module of our own (source: simdLayerNorm.wat), for rows whose width
// is a multiple of 4 (fusedKernels.ts keeps its plain-JS loops for the others). On tfjs's heap the module
// reads and writes the tensors in place (simdModule.ts DualSimdModule); other arrays are copied into its own memory.
import { DualSimdModule, heapWithRoom } from "./simdModule.js";

/** `wat2wasm simdLayerNorm.wat`, base64. Regenerate after editing the .wat (apt-get install wabt). */
export const WASM_BASE64 = "AGFzbQEAAAABLAVgAXsBfWADf399AXtgBX9/fXt9AXtgB39/f39/f30AYAl/f39/f39/f30AAg8BA2VudgZtZW1vcnkCAAEDBgUAAQIDBAcdAglsYXllck5vcm0AAw1sYXllck5vcm1HcmFkAAQKzwUFGQAgAP0fACAA/R8BkiAA/R8CIAD9HwOSkgs1AgF/AXsCQANAIAMgAU8NASAEIAAgA2r9AAQA/eQBIQQgA0EQaiEDDAALCyAEEAAgApX9EwtNAgF/AnsCQANAIAUgAU8NASAAIAVq/QAEACAD/eUBIQcgBiAHIAf95gH95AEhBiAFQRBqIQUMAAsLQwAAgD8gBhAAIAKVIASSkZX9EwueAQMDfwF9AnsgBUECdCEJIAWzIQoCQANAIAcgBE8NASAAIAkgChABIQsgACAJIAogCyAGEAIhDEEAIQgCQANAIAggCU8NASADIAhqIAAgCGr9AAQAIAv95QEgDP3mASABIAhq/QAEAP3mASACIAhq/QAEAP3kAf0LBAAgCEEQaiEIDAALCyAAIAlqIQAgAyAJaiEDIAdBAWohBwwACwsLjgMDA38BfQl7IAdBAnQhCyAHsyEMAkADQCAJIAZPDQEgASALIAwQASENIAEgCyAMIA0gCBACIQ79DAAAAAAAAAAAAAAAAAAAAAAhEv0MAAAAAAAAAAAAAAAAAAAAACETQQAhCgJAA0AgCiALTw0BIAEgCmr9AAQAIA395QEgDv3mASEPIAAgCmr9AAQAIRAgBCAKaiAEIApq/QAEACAQIA/95gH95AH9CwQAIAUgCmogBSAKav0ABAAgEP3kAf0LBAAgECACIApq/QAEAP3mASERIBIgEf3kASESIBMgESAP/eYB/eQBIRMgCkEQaiEKDAALCyASEAAgDJX9EyEUIBMQACAMlf0TIRVBACEKAkADQCAKIAtPDQEgASAKav0ABAAgDf3lASAO/eYBIQ8gACAKav0ABAAgAiAKav0ABAD95gEhESADIApqIA4gESAU/eUBIA8gFf3mAf3lAf3mAf0LBAAgCkEQaiEKDAALCyAAIAtqIQAgASALaiEBIAMgC2ohAyAJQQFqIQkMAAsLCw==";

interface Exports {
  layerNorm(x: number, gamma: number, beta: number, y: number, rows: number, d: number, eps: number): void;
  layerNormGrad(dy: number, x: number, gamma: number, dx: number, dgamma: number, dbeta: number, rows: number, d: number, eps: number): void;
}

/** The module (the plain-JS loops run where this runtime lacks wasm SIMD). */
const layerNormModule = new DualSimdModule<Exports>(WASM_BASE64);

/** Whether rows of width d take this module. */
export function simdLayerNormFits(d: number): boolean {
  return d % 4 === 0 && layerNormModule.available();
}

/** y = LayerNorm(x) per row of width gamma.length. */
export function simdLayerNorm(y: Float32Array, x: Float32Array, gamma: Float32Array, beta: Float32Array, eps: number): void {
  const n = x.length;
  const d = gamma.length;
  const inHeap = layerNormModule.inHeap([y, x, gamma, beta]);
  if (inHeap) return inHeap.layerNorm(x.byteOffset, gamma.byteOffset, beta.byteOffset, y.byteOffset, n / d, d, eps);
  const { mod, mem } = layerNormModule.own()!;
  const heap = heapWithRoom(mem, 2 * n + 2 * d);
  heap.set(x, 0);
  heap.set(gamma, n);
  heap.set(beta, n + d);
  const out = n + 2 * d;
  mod.layerNorm(0, n * 4, (n + d) * 4, out * 4, n / d, d, eps);
  y.set(heap.subarray(out, out + n));
}

/** dx, dgamma, dbeta of LayerNorm for the upstream gradient dy. */
export function simdLayerNormGrad(
  dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, dy: Float32Array, x: Float32Array, gamma: Float32Array, eps: number,
): void {
  const n = x.length;
  const d = gamma.length;
  const inHeap = layerNormModule.inHeap([dx, dgamma, dbeta, dy, x, gamma]);
  if (inHeap) {
    dgamma.fill(0);
    dbeta.fill(0);
    return inHeap.layerNormGrad(dy.byteOffset, x.byteOffset, gamma.byteOffset, dx.byteOffset, dgamma.byteOffset, dbeta.byteOffset, n / d, d, eps);
  }
  const { mod, mem } = layerNormModule.own()!;
  const heap = heapWithRoom(mem, 3 * n + 3 * d);
  const [at, ax, ag, adx, adg, adb] = [0, n, 2 * n, 2 * n + d, 3 * n + d, 3 * n + 2 * d];
  heap.set(dy, at);
  heap.set(x, ax);
  heap.set(gamma, ag);
  heap.fill(0, adg, adb + d);
  mod.layerNormGrad(at * 4, ax * 4, ag * 4, adx * 4, adg * 4, adb * 4, n / d, d, eps);
  dx.set(heap.subarray(adx, adx + n));
  dgamma.set(heap.subarray(adg, adg + d));
  dbeta.set(heap.subarray(adb, adb + d));
}
