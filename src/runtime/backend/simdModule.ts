// Instantiates lavisc's own wasm SIMD modules (simdMatMul.wat, simdGemm.wat, simdGelu.wat, ...; embedded as base64)
// once per memory: every module imports its memory (`simdModuleOnMemory`), and `DualSimdModule` runs it on tfjs's wasm
// heap (tensors where they are) or on a memory of its own, into which other arrays are copied (`heapWithRoom`).
import * as tf from "@tensorflow/tfjs";
import { tfjsHeapMemory } from "./tfjsHeap.js";

/** The module's memory as floats, grown first to hold at least `floats` of them (it never shrinks). */
export function heapWithRoom(mem: WebAssembly.Memory, floats: number): Float32Array {
  const have = mem.buffer.byteLength;
  if (floats * 4 > have) mem.grow(Math.ceil((floats * 4 - have) / 65536));
  return new Float32Array(mem.buffer);
}

/**
 * A loader for a module that imports its memory (`(import "env" "memory" ...)`): its exports on the given memory,
 * instantiated once per memory, or null where this runtime lacks wasm SIMD. On tfjs's wasm heap (`tfjsHeap.ts`) such
 * a module reads and writes tensors where they are, with no copies.
 */
export function simdModuleOnMemory<T>(base64: string): (memory: WebAssembly.Memory) => T | null {
  let compiled: WebAssembly.Module | null | undefined;
  const instances = new WeakMap<WebAssembly.Memory, T>();
  return (memory) => {
    if (compiled === undefined) {
      try {
        compiled = new WebAssembly.Module(Buffer.from(base64, "base64"));
      } catch {
        compiled = null;
      }
    }
    if (!compiled) return null;
    let exports = instances.get(memory);
    if (!exports) {
      exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as T;
      instances.set(memory, exports);
    }
    return exports;
  };
}

/**
 * A module that imports its memory, on two memories: tfjs's wasm heap, where views of tensors are passed by offset
 * (no copies), and one of its own, into which other arrays are copied.
 */
export class DualSimdModule<T> {
  private readonly onMemory: (memory: WebAssembly.Memory) => T | null;
  private ownMemory: WebAssembly.Memory | undefined;

  constructor(base64: string) {
    this.onMemory = simdModuleOnMemory<T>(base64);
  }

  /** The instance on the module's own memory, or null where this runtime lacks wasm SIMD. */
  own(): { mod: T; mem: WebAssembly.Memory } | null {
    this.ownMemory ??= new WebAssembly.Memory({ initial: 1 });
    const mod = this.onMemory(this.ownMemory);
    return mod ? { mod, mem: this.ownMemory } : null;
  }

  available(): boolean {
    return this.own() !== null;
  }

  /** The instance on tfjs's heap when every view lies in it (the active backend is wasm), else null. */
  inHeap(views: readonly ArrayBufferView[]): T | null {
    if (!inHeapSwitch.enabled || tf.getBackend() !== "wasm") return null;
    const memory = tfjsHeapMemory(tf.backend());
    if (!memory || views.some((v) => v.buffer !== memory.buffer)) return null;
    return this.onMemory(memory);
  }

  /** The instance on `memory` (tfjs's heap, found by the caller), whatever `inHeapSwitch` says. */
  on(memory: WebAssembly.Memory): T | null {
    return this.onMemory(memory);
  }
}

/** Whether modules work in tfjs's heap (switchable for A/B measurements against copying into their own memory). */
export const inHeapSwitch = { enabled: true };
