// Instantiates one of lavisc's own wasm SIMD modules (simdMatMul.wat, simdGelu.wat; embedded as base64) once.

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
