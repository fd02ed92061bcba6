// A full garbage collection between the phases of a large migration. V8 grows its heap lazily, so the garbage of one
// phase (the YAML's trees, the unformatted `.lv` and its syntax tree) is still held when the next one allocates: a 5 MB
// YAML peaked at 520 MB although no phase keeps more than about 200 MB alive. Node exposes `gc` only behind
// --expose-gc; setting the flag at run time and reading `gc` from a new context is the documented way to reach it.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Inputs smaller than this are not worth a full collection (it costs tens of milliseconds). */
const LARGE_INPUT_BYTES = 1 << 20;

let gc: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (gc !== undefined) return gc;
  try {
    setFlagsFromString("--expose-gc");
    const found = runInNewContext("gc") as unknown;
    gc = typeof found === "function" ? (found as () => void) : null;
  } catch {
    gc = null;
  }
  return gc;
}

/** Collects garbage now when the input being processed is large; a no-op where the runtime refuses. */
export function collectGarbageFor(inputBytes: number): void {
  if (inputBytes >= LARGE_INPUT_BYTES) collector()?.();
}
