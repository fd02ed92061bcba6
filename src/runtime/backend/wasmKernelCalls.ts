// Running the wasm backend's kernels from inside another kernel (the fused layers): no engine, no tape, no tensor
// objects; the caller disposes what each call returns with `backend.disposeData`.
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs, TensorInfo } from "./wasmKernelTypes.js";

export type Kernel = (args: KernelArgs) => TensorInfo;

/** The wasm backend's current kernel (lavisc's replacements once installed), looked up at call time. */
export function wasmKernel(name: string): Kernel {
  const k = tf.getKernel(name, "wasm");
  if (!k) throw new Error(`the wasm backend has no ${name} kernel`);
  return k.kernelFunc as unknown as Kernel;
}

/** `t`'s storage under another shape of the same size (a view: kernels never write their inputs; not to be disposed). */
export function viewAs(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/** `t` read as a [rows, last] matrix (a view). */
export function asMatrix(t: TensorInfo): TensorInfo {
  const last = t.shape[t.shape.length - 1]!;
  const size = t.shape.reduce((a, d) => a * d, 1);
  return viewAs(t, [last === 0 ? 0 : size / last, last]);
}

/** Registers each kernel for the wasm backend unless one of that name already is (another copy of the module did). */
export function registerWasmKernels(kernels: Record<string, (args: KernelArgs) => TensorInfo | TensorInfo[]>): void {
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    if (!tf.getKernel(kernelName, "wasm")) tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  }
}
