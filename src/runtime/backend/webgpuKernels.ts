// Fused element-wise updates for tfjs's WebGPU backend: AdamW (moments and parameter, three dispatches instead of
// about fourteen kernels per parameter tensor) and the momentum encoders' EMA (one instead of three). A small model
// has a few hundred parameter tensors, and on a GPU each kernel call costs a dispatch whatever its size. Registered
// in tfjs's kernel registry for "webgpu" only; every other backend takes the tf-ops path of adamW.ts / momentum.ts,
// which computes the same formulas (float32, up to the order of rounding).
import * as tf from "@tensorflow/tfjs";
import { f32, WORKGROUP, type KernelArgs, type TensorInfo, type WebGpuBackendLike } from "./webgpuProgram.js";


/** An element-wise program over equally shaped float32 inputs: `result[i] = <expr>` with the inputs as arrays. */
class ElementwiseProgram {
  readonly variableNames: string[];
  readonly uniforms: string;
  readonly workgroupSize = WORKGROUP;
  readonly size = true;
  readonly outputShape: number[];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;

  constructor(readonly name: string, inputs: string[], uniformNames: string[], private readonly expr: string, shape: number[]) {
    this.variableNames = inputs;
    this.uniforms = uniformNames.map((u) => `${u} : f32,`).join(" ");
    this.outputShape = shape;
    const n = shape.reduce((a, b) => a * b, 1);
    this.dispatchLayout = { x: shape.map((_, i) => i) };
    // tfjs's flat layout (webgpu_util.flatDispatchLayout/computeDispatch); the backend reshapes a dispatch past the
    // per-dimension limit and the shader's index follows it.
    this.dispatch = [Math.ceil(n / WORKGROUP[0]), 1, 1];
    this.shaderKey = `lavisc_${name}`;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, ${this.expr});
        }
      }
    `;
  }
}

const ADAMW = "LaviscAdamW";
const EMA = "LaviscEma";


/** [p', m', v'] = AdamW (torch's formula, decoupled weight decay) of p, m, v with gradient g. */
function adamWKernel({ inputs: { p, g, m, v }, backend, attrs }: KernelArgs): TensorInfo[] {
  const b = backend as WebGpuBackendLike;
  const a = attrs as { beta1: number; beta2: number; decay: number; stepSize: number; bc2Sqrt: number; eps: number };
  const shape = p!.shape;
  const m1 = b.runWebGPUProgram(new ElementwiseProgram("adamw_m", ["M", "G"], ["b1", "c1"], "uniforms.b1 * M[index] + uniforms.c1 * G[index]", shape), [m!, g!], "float32", [f32(a.beta1), f32(1 - a.beta1)]);
  const v1 = b.runWebGPUProgram(new ElementwiseProgram("adamw_v", ["V", "G"], ["b2", "c2"], "uniforms.b2 * V[index] + uniforms.c2 * (G[index] * G[index])", shape), [v!, g!], "float32", [f32(a.beta2), f32(1 - a.beta2)]);
  const p1 = b.runWebGPUProgram(
    new ElementwiseProgram("adamw_p", ["P", "M1", "V1"], ["decay", "stepSize", "bc2Sqrt", "eps"], "P[index] * uniforms.decay - uniforms.stepSize * M1[index] / (sqrt(V1[index]) / uniforms.bc2Sqrt + uniforms.eps)", shape),
    [p!, m1, v1], "float32", [f32(a.decay), f32(a.stepSize), f32(a.bc2Sqrt), f32(a.eps)],
  );
  return [p1, m1, v1];
}

/** copy' = m·copy + (1−m)·online. */
function emaKernel({ inputs: { copy, online }, backend, attrs }: KernelArgs): TensorInfo {
  const m = (attrs as { momentum: number }).momentum;
  return (backend as WebGpuBackendLike).runWebGPUProgram(
    new ElementwiseProgram("ema", ["C", "O"], ["m", "c"], "C[index] * uniforms.m + O[index] * uniforms.c", copy!.shape), [copy!, online!], "float32", [f32(m), f32(1 - m)],
  );
}

let registered = false;
/** Whether the fused kernels are used (switchable for tests and A/B measurements that compare with the tf-ops path). */
let enabled = true;

export function setFusedUpdates(on: boolean): void {
  enabled = on;
}

/** Whether the fused updates run on the current backend (WebGPU, float32 tensors). */
export function fusedUpdatesAvailable(...inputs: tf.Tensor[]): boolean {
  if (!enabled || tf.getBackend() !== "webgpu" || inputs.some((t) => t.dtype !== "float32")) return false;
  if (!registered) {
    registered = true;
    tf.registerKernel({ kernelName: ADAMW, backendName: "webgpu", kernelFunc: adamWKernel as unknown as tf.KernelFunc });
    tf.registerKernel({ kernelName: EMA, backendName: "webgpu", kernelFunc: emaKernel as unknown as tf.KernelFunc });
  }
  return true;
}

export interface AdamWStep {
  readonly beta1: number;
  readonly beta2: number;
  /** 1 − lr · weight_decay. */
  readonly decay: number;
  /** lr / (1 − beta1^t). */
  readonly stepSize: number;
  /** sqrt(1 − beta2^t). */
  readonly bc2Sqrt: number;
  readonly eps: number;
}

/** One AdamW update of p, m, v (each gets the new tensor). Call only where fusedUpdatesAvailable(). */
export function fusedAdamW(p: tf.Variable, g: tf.Tensor, m: tf.Variable, v: tf.Variable, step: AdamWStep): void {
  const [p1, m1, v1] = tf.engine().runKernel(ADAMW, { p, g, m, v }, { ...step } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  m.assign(m1!);
  v.assign(v1!);
  p.assign(p1!);
  tf.dispose([p1!, m1!, v1!]);
}

/** copy ← m·copy + (1−m)·online. Call only where fusedUpdatesAvailable(). */
export function fusedEma(copy: tf.Variable, online: tf.Tensor, momentum: number): void {
  const next = tf.engine().runKernel(EMA, { copy, online }, { momentum }) as tf.Tensor;
  copy.assign(next);
  next.dispose();
}
