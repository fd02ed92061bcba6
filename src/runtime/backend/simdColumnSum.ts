// Sum over leading axes (the gradient of a bias or of any broadcast over rows: [rows, n] -> [n]) on the wasm backend.
// tfjs's wasm Sum transposes the input so that the reduced axes come last, then sums rows; for a [384, 256] input the
// transpose made the call 10x slower per element than a sum over the last axis. Here each row is added into the
// columns' sums in order (simdColumnSum.wat, four columns at a time), the order of tfjs's sum of each transposed row.
import * as tf from "@tensorflow/tfjs";
import type { SingleOutputKernel, TensorInfo, WasmBackendLike } from "./wasmKernelTypes.js";
import { DualSimdModule, heapWithRoom } from "./simdModule.js";

/** `wat2wasm simdColumnSum.wat`, base64. Regenerate after editing the .wat (apt-get install wabt). */
export const WASM_BASE64 = "AGFzbQEAAAABCAFgBH9/f38AAg8BA2VudgZtZW1vcnkCAAEDAgEABw0BCWNvbHVtblN1bQAACssBAcgBAQZ/IANBfHEhBiABIQggASADQQJ0aiEJAkADQCAIIAlPDQEgCEMAAAAAOAIAIAhBBGohCAwACwsgACEHAkADQCAEIAJPDQEgASEIQQAhBQJAA0AgBSAGTw0BIAggCP0ABAAgB/0ABAD95AH9CwQAIAhBEGohCCAHQRBqIQcgBUEEaiEFDAALCwJAA0AgBSADTw0BIAggCCoCACAHKgIAkjgCACAIQQRqIQggB0EEaiEHIAVBAWohBQwACwsgBEEBaiEEDAALCws=";

interface Exports {
  columnSum(src: number, dst: number, rows: number, cols: number): void;
}

const columnSumModule = new DualSimdModule<Exports>(WASM_BASE64);

/** sums[c] = the sum over rows of xs[row * cols + c] (cols = sums.length); needs wasm SIMD (columnSumModule). */
function columnSums(xs: Float32Array, sums: Float32Array): void {
  const cols = sums.length;
  const rows = cols === 0 ? 0 : xs.length / cols;
  const inHeap = columnSumModule.inHeap([xs, sums]);
  if (inHeap) return inHeap.columnSum(xs.byteOffset, sums.byteOffset, rows, cols);
  const { mod, mem } = columnSumModule.own()!;
  const heap = heapWithRoom(mem, xs.length + cols);
  heap.set(xs, 0);
  mod.columnSum(0, xs.length * 4, rows, cols);
  sums.set(heap.subarray(xs.length, xs.length + cols));
}

/** Whether Sum over leading axes takes the column sum (switchable for A/B measurements). */
export const columnSumSwitch = { enabled: true };

/** Wraps wasm's Sum: float32 sums over a leading prefix of the axes take the column sum, the rest wasm's own kernel. */
export function columnSumKernel(wasmSum: SingleOutputKernel): SingleOutputKernel {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = (args.attrs ?? {}) as { axis: number | number[]; keepDims?: boolean };
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (!columnSumModule.available() || !columnSumSwitch.enabled || x.dtype !== "float32" || !leading) return wasmSum(args);
    const backend = args.backend as WasmBackendLike;
    const kept = x.shape.slice(axes.length);
    const out = backend.makeOutput(keepDims ? [...axes.map(() => 1), ...kept] : kept, "float32");
    // Views are taken after makeOutput: allocating may grow (and so detach) the wasm heap.
    const sums = backend.typedArrayFromHeap(out) as Float32Array;
    const xs = backend.typedArrayFromHeap(x) as Float32Array;
    columnSums(xs, sums);
    return out;
  };
}
