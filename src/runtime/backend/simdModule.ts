// Instantiates one of lavisc's own wasm SIMD modules (simdMatMul.wat, simdGemm.wat, simdGelu.wat, ...; embedded as
// base64) once, and gives its memory room for a call's operands (tfjs does not export its own Memory, so operands are
// copied into the module's).

/** A loader for the module: its exports, or null where this runtime lacks wasm SIMD (callers keep a tf-ops path). */
export function simdModuleLoader<T>(base64: string): () => T | null {
  let cached: T | null | undefined;
  return () => {
    if (cached !== undefined) return cached;
    try {
      cached = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(base64, "base64"))).exports as unknown as T;
    } catch {
      cached = null;
    }
    return cached;
  };
}

/** The module's memory as floats, grown first to hold at least `floats` of them (it never shrinks). */
export function heapWithRoom(mem: WebAssembly.Memory, floats: number): Float32Array {
  const have = mem.buffer.byteLength;
  if (floats * 4 > have) mem.grow(Math.ceil((floats * 4 - have) / 65536));
  return new Float32Array(mem.buffer);
}
