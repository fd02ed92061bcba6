// Slice and SplitV on the wasm backend without copying the whole input for every slice. wasm's slice first reads its
// input with readSync, which copies all of it out of the heap (HEAPU8.slice), and SplitV slices each part that way: a
// split of attention's fused q, k, v projection into three copied the input three times before copying each part.
// Here each part is copied once, a run of the last axis at a time, from a view of the heap.
import * as tf from "@tensorflow/tfjs";
import type { SingleOutputKernel, TensorInfo, WasmBackendLike } from "./wasmKernelTypes.js";

/** Whether Slice and SplitV copy from the heap (switchable for A/B measurements against wasm's own kernels). */
export const heapSliceSwitch = { enabled: true };

/** Wraps wasm's Slice: numeric and boolean tensors are sliced from the heap, strings go to wasm's own kernel. */
export function sliceKernel(wasmSlice: SingleOutputKernel): SingleOutputKernel {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (!heapSliceSwitch.enabled || x.dtype === "string") return wasmSlice(args);
    const { begin, size } = args.attrs as { begin: number | number[]; size?: number | number[] };
    const [from, extent] = tf.slice_util.parseSliceParams(x as unknown as tf.TensorInfo, begin, size);
    return sliceOfHeap(args.backend as WasmBackendLike, x, from!, extent!);
  };
}

/** Wraps wasm's SplitV the same way: each part is one slice along the axis. */
export function splitVKernel(wasmSplitV: (args: { inputs: unknown; backend: unknown; attrs?: unknown }) => TensorInfo[]) {
  return (args: { inputs: unknown; backend: unknown; attrs?: unknown }): TensorInfo[] => {
    const { x } = args.inputs as { x: TensorInfo };
    if (!heapSliceSwitch.enabled || x.dtype === "string") return wasmSplitV(args);
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number | number[] };
    const along = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, along);
    const begin = x.shape.map(() => 0);
    return sizes.map((s) => {
      const extent = x.shape.slice();
      extent[along] = s;
      const part = sliceOfHeap(args.backend as WasmBackendLike, x, begin.slice(), extent);
      begin[along]! += s;
      return part;
    });
  };
}

function sliceOfHeap(backend: WasmBackendLike, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  // Views are taken after makeOutput: allocating may grow (and so detach) the wasm heap.
  copyBlock(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}

/** Copies the block at `begin` of extent `size` of a row-major array of `shape` into `to`, a last-axis run at a time. */
export function copyBlock(from: tf.TypedArray, shape: readonly number[], begin: readonly number[], size: readonly number[], to: tf.TypedArray): void {
  const rank = shape.length;
  const total = size.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  if (rank === 0) {
    to[0] = from[0]!;
    return;
  }
  const strides = tf.util.computeStrides(shape as number[]);
  const run = size[rank - 1]!;
  const index = new Array<number>(rank - 1).fill(0);
  for (let at = 0; at < total; at += run) {
    let offset = begin[rank - 1]!;
    for (let d = 0; d < rank - 1; d++) offset += (begin[d]! + index[d]!) * strides[d]!;
    to.set(from.subarray(offset, offset + run), at);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d]! < size[d]!) break;
      index[d] = 0;
    }
  }
}
