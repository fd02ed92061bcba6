// Where tfjs's wasm backend keeps tensors: one WebAssembly.Memory (its Emscripten module's), each tensor's data at a
// byte offset in it. lavisc's SIMD modules instantiated on that memory (simdModuleOnMemory) work on tensors in place.
import type { TensorInfo } from "./wasmKernelTypes.js";

interface WasmBackendInternals {
  wasm?: { asm?: { memory?: unknown } };
  dataIdMap?: { get(dataId: object): { memoryOffset: number } | undefined };
}

/** The backend's heap, or null when this tfjs build does not expose it (callers then copy into a module's own memory). */
export function tfjsHeapMemory(backend: unknown): WebAssembly.Memory | null {
  const memory = (backend as WasmBackendInternals).wasm?.asm?.memory;
  return memory instanceof WebAssembly.Memory && (backend as WasmBackendInternals).dataIdMap ? memory : null;
}

/** The byte offset of a tensor's data in the backend's heap. */
export function heapOffset(backend: unknown, t: TensorInfo): number {
  const entry = (backend as WasmBackendInternals).dataIdMap!.get(t.dataId);
  if (!entry) throw new Error("tensor data is not on the wasm backend");
  return entry.memoryOffset;
}
