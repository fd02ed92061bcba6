// Memory that V8 or the machine cannot give: a model, batch or momentum queue too large for the machine, which
// `lavisc plan` warns about (LV6004, LV6005) from its estimate. It is a condition of the run, not a bug in lavisc, so
// it is an error that says what to lower rather than an internal error with a stack trace.

/** The allocation failures of V8's typed arrays and of WebAssembly memory (a positive, too-large length only). */
const ALLOCATION_FAILED = /Array buffer allocation failed|Invalid typed array length: \d{10,}|Invalid array buffer length|WebAssembly\.Memory\.grow|Maximum memory size exceeded|Cannot allocate Wasm memory|Out of memory/i;

/** The message to print for an out-of-memory error, or null when `e` is something else. */
export function outOfMemoryMessage(e: unknown): string | null {
  if (!(e instanceof Error) || !ALLOCATION_FAILED.test(e.message)) return null;
  return `out of memory (${e.message}): the run asks for more than this process can allocate. \`lavisc plan FILE\` shows the estimate of a training step; lower batch_size_train, queue_size or the model's size.`;
}
