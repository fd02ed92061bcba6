// Memory that V8 or the machine cannot give: a model, batch or momentum queue too large for the machine, which
// `lavisc plan` warns about (LV6004, LV6005) from its estimate. It is a condition of the run, not a bug in lavisc, so
// it is an error that says what to lower rather than an internal error with a stack trace.

/** The allocation failures of V8's typed arrays and of WebAssembly memory (a positive, too-large length only). */
const ALLOCATION_FAILED = /Array buffer allocation failed|Invalid typed array length: \d{10,}|Invalid array buffer length|WebAssembly\.Memory\.grow|Maximum memory size exceeded|Cannot allocate Wasm memory|Out of memory/i;

/**
 * tfjs-backend-wasm's malloc returns an offset past the heap when the heap cannot grow to 4 GiB, and the kernel that
 * writes there traps with this RuntimeError. It is taken for running out of memory only when the process's array
 * buffers (the wasm heap among them) are large; a small one is a bug, and stays an internal error.
 */
const WASM_OUT_OF_BOUNDS = /memory access out of bounds/;
const LARGE_HEAP_BYTES = 2 ** 30;

/** The message to print for an out-of-memory error, or null when `e` is something else. */
export function outOfMemoryMessage(e: unknown, arrayBufferBytes = process.memoryUsage().arrayBuffers): string | null {
  if (!(e instanceof Error)) return null;
  const heapFull = WASM_OUT_OF_BOUNDS.test(e.message) && arrayBufferBytes >= LARGE_HEAP_BYTES;
  if (!ALLOCATION_FAILED.test(e.message) && !heapFull) return null;
  if (heapFull) return `out of memory (${e.message}, with ${(arrayBufferBytes / 2 ** 30).toFixed(1)} GiB in the wasm heap and other buffers): the wasm backend's heap holds at most 4 GiB. \`lavisc plan FILE\` shows the estimate of a training step; lower batch_size_train, queue_size or the model's size.`;
  return `out of memory (${e.message}): the run asks for more than this process can allocate. \`lavisc plan FILE\` shows the estimate of a training step; lower batch_size_train, queue_size or the model's size.`;
}
