// Gather along axis 0 (embedding lookups: a row of the table per index) on the wasm backend. wasm's GatherV2 moves
// one element at a time through its general strided loop: a [384]-index lookup into a 64-wide table took 0.77 ms,
// 32 ns an element. Here each row is one typed-array copy.
import * as tf from "@tensorflow/tfjs";
import type { SingleOutputKernel, TensorInfo, WasmBackendLike } from "./wasmKernelTypes.js";

/** Whether gathers along axis 0 copy rows (switchable for A/B measurements). */
export const rowGatherSwitch = { enabled: true };

/** Wraps wasm's GatherV2: numeric gathers along axis 0 without batch dimensions copy rows, the rest go to wasm's own. */
export function rowGatherKernel(wasmGather: SingleOutputKernel): SingleOutputKernel {
  return (args) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = (args.attrs ?? {}) as { axis: number; batchDims?: number };
    const numeric = x.dtype === "float32" || x.dtype === "int32";
    if (!rowGatherSwitch.enabled || !numeric || indices.dtype !== "int32" || (batchDims ?? 0) !== 0 || x.shape.length === 0) return wasmGather(args);
    if (tf.util.parseAxisParam(axis, x.shape)[0] !== 0) return wasmGather(args);
    const backend = args.backend as WasmBackendLike;
    const rows = x.shape[0]!;
    // The same check, and message, as wasm's kernel.
    for (const index of backend.typedArrayFromHeap(indices) as Int32Array) {
      tf.util.assert(index <= rows - 1 && index >= 0, () => `GatherV2: the index value ${index} is not in [0, ${rows - 1}]`);
    }
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    // Views are taken after makeOutput: allocating may grow (and so detach) the wasm heap.
    const o = backend.typedArrayFromHeap(out);
    const table = backend.typedArrayFromHeap(x);
    const ids = backend.typedArrayFromHeap(indices) as Int32Array;
    const width = rows === 0 ? 0 : table.length / rows;
    for (let i = 0; i < ids.length; i++) {
      const from = ids[i]! * width;
      o.set(table.subarray(from, from + width), i * width);
    }
    return out;
  };
}
