// What lavisc's WGSL programs (webgpuKernels.ts, webgpuFusedLayers.ts) use of tfjs's WebGPU backend: running a
// program on tensors with uniforms. Typed loosely because the package does not export its program types.
import type * as tf from "@tensorflow/tfjs";

export type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };
export type Uniform = { type: "float32" | "int32"; data: number[] };
export type KernelArgs = { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> };

export interface WebGpuBackendLike {
  runWebGPUProgram(program: unknown, inputs: TensorInfo[], dtype: tf.DataType, uniforms?: Uniform[]): TensorInfo;
}

/** Invocations per workgroup of lavisc's flat (one-dimensional) programs. */
export const WORKGROUP = [64, 1, 1] as [number, number, number];

export const f32 = (x: number): Uniform => ({ type: "float32", data: [x] });
export const i32 = (x: number): Uniform => ({ type: "int32", data: [x] });
