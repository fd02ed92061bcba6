// What lavisc's replacement kernels for the tfjs wasm backend use of it; typed loosely because the package does not
// export its class type for kernels.
import type * as tf from "@tensorflow/tfjs";

export type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };

export interface WasmBackendLike {
  readSync(dataId: object): tf.TypedArray;
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): tf.TypedArray;
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
}

export type KernelArgs = { inputs: unknown; backend: unknown; attrs?: unknown };
/** A kernel that returns one output. */
export type SingleOutputKernel = (args: KernelArgs) => TensorInfo;
