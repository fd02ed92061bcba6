// AdamW and the momentum encoders' EMA with wasm SIMD (source: simdUpdates.wat) on tensors where tfjs's wasm backend
// keeps them: the module is instantiated on tfjs's heap (tfjsHeap.ts), so a parameter's update reads its gradient
// and moments in place and writes the new values into fresh storage, with no copies in or out and no JavaScript
// array per parameter. Float32 arithmetic, as torch's AdamW. Elsewhere (other backends, a tfjs build that hides its
// heap) the callers keep their JavaScript loops (inPlace.ts).
import * as tf from "@tensorflow/tfjs";
import { simdModuleOnMemory } from "./simdModule.js";
import { heapOffset, tfjsHeapMemory } from "./tfjsHeap.js";
import type { TensorInfo, WasmBackendLike } from "./wasmKernelTypes.js";
import type { AdamWStep } from "./webgpuKernels.js";

/** `wat2wasm simdUpdates.wat`, base64. Regenerate after editing the .wat (apt-get install wabt). */
export const WASM_BASE64 = "AGFzbQEAAAABGwJgDn9/f39/f319fX19fX19AGAGf39/f319AAIPAQNlbnYGbWVtb3J5AgABAwMCAAEHDwIFYWRhbVcAAANlbWEAAQrlAwLQAgMDfwN7A30gBUF8cSEQAkADQCAOIBBPDQEgDkECdCEPIAEgD2r9AAQAIREgBv0TIAIgD2r9AAQA/eYBIAf9EyAR/eYB/eQBIRIgCP0TIAMgD2r9AAQA/eYBIAn9EyAR/eYBIBH95gH95AEhEyACIA9qIBL9CwQAIAMgD2ogE/0LBAAgBCAPaiAAIA9q/QAEACAK/RP95gEgC/0TIBL95gEgE/3jASAM/RP95wEgDf0T/eQB/ecB/eUB/QsEACAOQQRqIQ4MAAsLAkADQCAOIAVPDQEgDkECdCEPIAEgD2oqAgAhFCAGIAIgD2oqAgCUIAcgFJSSIRUgCCADIA9qKgIAlCAJIBSUIBSUkiEWIAIgD2ogFTgCACADIA9qIBY4AgAgBCAPaiAAIA9qKgIAIAqUIAsgFZQgFpEgDJUgDZKVkzgCACAOQQFqIQ4MAAsLC5ABAQN/IANBfHEhCAJAA0AgBiAITw0BIAZBAnQhByACIAdqIAAgB2r9AAQAIAT9E/3mASABIAdq/QAEACAF/RP95gH95AH9CwQAIAZBBGohBgwACwsCQANAIAYgA08NASAGQQJ0IQcgAiAHaiAAIAdqKgIAIASUIAEgB2oqAgAgBZSSOAIAIAZBAWohBgwACwsL";

interface Exports {
  adamW(p: number, g: number, m: number, v: number, out: number, n: number, b1: number, c1: number, b2: number, c2: number, decay: number, stepSize: number, bc2Sqrt: number, eps: number): void;
  ema(copy: number, online: number, out: number, n: number, m: number, c: number): void;
}

const updatesModule = simdModuleOnMemory<Exports>(WASM_BASE64);

/** Whether updates run on the SIMD module (switchable for A/B measurements against the JavaScript loops). */
export const simdUpdatesSwitch = { enabled: true };

interface OnHeap {
  readonly mod: Exports;
  readonly backend: WasmBackendLike;
}

/** The module on the active wasm backend's heap, or null. */
function onHeap(tensors: readonly tf.Tensor[]): OnHeap | null {
  if (!simdUpdatesSwitch.enabled || tf.getBackend() !== "wasm") return null;
  if (tensors.some((t) => t.dtype !== "float32" || t.size !== tensors[0]!.size)) return null;
  const backend = tf.backend() as unknown as WasmBackendLike;
  const memory = tfjsHeapMemory(backend);
  const mod = memory ? updatesModule(memory) : null;
  return mod ? { mod, backend } : null;
}

const offsetOf = (backend: WasmBackendLike, t: tf.Tensor): number => heapOffset(backend, t as unknown as TensorInfo);

/** Gives `v` new storage, filled by `write` with the byte offset of that storage in the heap. */
function assignNew(h: OnHeap, v: tf.Variable, write: (out: number) => void): void {
  const info = h.backend.makeOutput(v.shape, "float32");
  write(heapOffset(h.backend, info));
  const engine = tf.engine() as unknown as { makeTensorFromTensorInfo(info: TensorInfo): tf.Tensor };
  const fresh = engine.makeTensorFromTensorInfo(info);
  v.assign(fresh);
  fresh.dispose();
}

/**
 * One AdamW update of `p` with gradient `g`: the moments `m` and `v` in place (the caller checked that nothing
 * else owns their storage), `p` on new storage. False where the module cannot run (the caller then does it).
 */
export function simdAdamW(p: tf.Variable, g: tf.Tensor, m: tf.Variable, v: tf.Variable, s: AdamWStep): boolean {
  const h = onHeap([p, g, m, v]);
  if (!h) return false;
  assignNew(h, p, (out) =>
    h.mod.adamW(offsetOf(h.backend, p), offsetOf(h.backend, g), offsetOf(h.backend, m), offsetOf(h.backend, v), out, p.size, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.decay, s.stepSize, s.bc2Sqrt, s.eps),
  );
  return true;
}

/** copy ← copy·m + online·(1 − m), on new storage for `copy`. False where the module cannot run. */
export function simdEma(copy: tf.Variable, online: tf.Tensor, m: number): boolean {
  const h = onHeap([copy, online]);
  if (!h) return false;
  assignNew(h, copy, (out) => h.mod.ema(offsetOf(h.backend, copy), offsetOf(h.backend, online), out, copy.size, m, 1 - m));
  return true;
}
