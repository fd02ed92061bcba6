// LayerNorm as one kernel (and one gradient kernel; wasm SIMD in simdLayerNorm.ts when the width is a multiple of 4,
// plain JS otherwise) for the backends whose storage JS can read (wasm, cpu); on WebGPU the same kernel names run WGSL
// programs (webgpuFusedLayers.ts). As tf ops
// it costs ~10 kernel calls forward and ~20 backward; a small BLIP step runs dozens, and at these sizes each call's
// fixed cost exceeds its arithmetic. GELU likewise, on a wasm SIMD module (simdGelu.ts): one kernel forward instead of
// Erf and four element-wise ones, one backward instead of about eight. (A GELU in plain JS was measured slower than
// wasm's Erf with four element-wise ops: Math.exp per element costs more than the calls it saves.)
import * as tf from "@tensorflow/tfjs";
import { simdGelu, simdGeluAvailable, simdGeluGrad } from "./simdGelu.js";
import { simdLayerNorm, simdLayerNormFits, simdLayerNormGrad } from "./simdLayerNorm.js";
import { registerWebGpuFusedLayers, webGpuFusedLayersSwitch } from "./webgpuFusedLayers.js";

type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };

/** Output allocation and storage access on one backend. Views are valid until the next allocation. */
interface Storage {
  alloc(shape: number[]): TensorInfo;
  view(t: TensorInfo): Float32Array;
}

function storageOf(backendName: string, backend: unknown): Storage {
  if (backendName === "wasm") {
    const b = backend as { makeOutput(shape: number[], dtype: string): TensorInfo; typedArrayFromHeap(t: TensorInfo): Float32Array };
    return { alloc: (shape) => b.makeOutput(shape, "float32"), view: (t) => b.typedArrayFromHeap(t) };
  }
  const b = backend as { makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo; data: { get(id: object): { values: Float32Array } } };
  return {
    alloc: (shape) => b.makeTensorInfo(shape, "float32", new Float32Array(shape.reduce((a, x) => a * x, 1))),
    view: (t) => b.data.get(t.dataId).values,
  };
}

const LAYER_NORM = "LaviscLayerNorm";
const LAYER_NORM_GRAD = "LaviscLayerNormGrad";
const GELU = "LaviscGelu";
const GELU_GRAD = "LaviscGeluGrad";
const BACKENDS = ["wasm", "cpu"] as const;

type KernelArgs = { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> };

/** out = [mean, 1/sqrt(var + eps)] of x[r .. r+d) (biased variance, as torch). */
function rowStats(x: Float32Array, r: number, d: number, eps: number, out: Float64Array): void {
  let sum = 0;
  for (let j = 0; j < d; j++) sum += x[r + j]!;
  const mean = sum / d;
  let sq = 0;
  for (let j = 0; j < d; j++) sq += (x[r + j]! - mean) ** 2;
  out[0] = mean;
  out[1] = 1 / Math.sqrt(sq / d + eps);
}

/** Per row of width D: y = (x − mean)/sqrt(var + eps)·gamma + beta (biased variance, as torch). */
function layerNormKernel(name: string) {
  return ({ inputs: { x, gamma, beta }, backend, attrs }: KernelArgs): TensorInfo => {
    const s = storageOf(name, backend);
    const out = s.alloc(x!.shape);
    const [xv, gv, bv, yv] = [s.view(x!), s.view(gamma!), s.view(beta!), s.view(out)];
    const eps = attrs!["eps"] as number;
    const d = gv.length;
    if (simdLayerNormFits(d)) {
      simdLayerNorm(yv, xv, gv, bv, eps);
      return out;
    }
    const stats = new Float64Array(2);
    for (let r = 0; r < xv.length; r += d) {
      rowStats(xv, r, d, eps, stats);
      const mean = stats[0]!;
      const rstd = stats[1]!;
      for (let j = 0; j < d; j++) yv[r + j] = (xv[r + j]! - mean) * rstd * gv[j]! + bv[j]!;
    }
    return out;
  };
}

/** dx = rstd·(dxhat − mean(dxhat) − xhat·mean(dxhat·xhat)) with dxhat = dy·gamma; dgamma = Σ dy·xhat; dbeta = Σ dy. */
function layerNormGradKernel(name: string) {
  return ({ inputs: { dy, x, gamma }, backend, attrs }: KernelArgs): TensorInfo[] => {
    const s = storageOf(name, backend);
    const d = gamma!.shape[0]!;
    const dxInfo = s.alloc(x!.shape);
    const dgInfo = s.alloc([d]);
    const dbInfo = s.alloc([d]);
    const [dyv, xv, gv, dxv, dgv, dbv] = [s.view(dy!), s.view(x!), s.view(gamma!), s.view(dxInfo), s.view(dgInfo), s.view(dbInfo)];
    const eps = attrs!["eps"] as number;
    if (simdLayerNormFits(d)) {
      simdLayerNormGrad(dxv, dgv, dbv, dyv, xv, gv, eps);
      return [dxInfo, dgInfo, dbInfo];
    }
    const dg = new Float64Array(d);
    const db = new Float64Array(d);
    const xhat = new Float64Array(d);
    const stats = new Float64Array(2);
    for (let r = 0; r < xv.length; r += d) {
      rowStats(xv, r, d, eps, stats);
      const mean = stats[0]!;
      const rstd = stats[1]!;
      let meanDxhat = 0;
      let meanDxhatXhat = 0;
      for (let j = 0; j < d; j++) {
        const xh = (xv[r + j]! - mean) * rstd;
        xhat[j] = xh;
        const g = dyv[r + j]!;
        dg[j] += g * xh;
        db[j] += g;
        const dxh = g * gv[j]!;
        meanDxhat += dxh;
        meanDxhatXhat += dxh * xh;
      }
      meanDxhat /= d;
      meanDxhatXhat /= d;
      for (let j = 0; j < d; j++) dxv[r + j] = rstd * (dyv[r + j]! * gv[j]! - meanDxhat - xhat[j]! * meanDxhatXhat);
    }
    dgv.set(dg);
    dbv.set(db);
    return [dxInfo, dgInfo, dbInfo];
  };
}

function geluKernel(name: string) {
  return ({ inputs: { x }, backend }: KernelArgs): TensorInfo => {
    const s = storageOf(name, backend);
    const out = s.alloc(x!.shape);
    simdGelu(s.view(out), s.view(x!));
    return out;
  };
}

function geluGradKernel(name: string) {
  return ({ inputs: { dy, x }, backend }: KernelArgs): TensorInfo => {
    const s = storageOf(name, backend);
    const out = s.alloc(x!.shape);
    simdGeluGrad(s.view(out), s.view(dy!), s.view(x!));
    return out;
  };
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  for (const name of BACKENDS) {
    const kernels: [string, (args: KernelArgs) => TensorInfo | TensorInfo[]][] = [
      [LAYER_NORM, layerNormKernel(name)], [LAYER_NORM_GRAD, layerNormGradKernel(name)],
      [GELU, geluKernel(name)], [GELU_GRAD, geluGradKernel(name)],
    ];
    for (const [kernelName, fn] of kernels) {
      if (!tf.getKernel(kernelName, name)) tf.registerKernel({ kernelName, backendName: name, kernelFunc: fn as unknown as tf.KernelFunc });
    }
  }
  tf.registerGradient({
    kernelName: LAYER_NORM,
    inputsToSave: ["x", "gamma"],
    gradFunc: (dy, saved, attrs) => {
      const [x, gamma] = saved as tf.Tensor[];
      const [dx, dg, db] = tf.engine().runKernel(LAYER_NORM_GRAD, { dy: dy as tf.Tensor, x: x!, gamma: gamma! }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return { x: () => dx!, gamma: () => dg!, beta: () => db! };
    },
  });
  tf.registerGradient({
    kernelName: GELU,
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => {
      const [x] = saved as tf.Tensor[];
      return { x: () => tf.engine().runKernel(GELU_GRAD, { dy: dy as tf.Tensor, x: x! }) as tf.Tensor };
    },
  });
}

/** Which fused kernels are used (switchable at run time for interleaved A/B measurements in one process). */
export const fusedKernelSwitches = { layerNorm: true, gelu: true };

/** Whether the fused kernels run on the current backend (float32 inputs only): wasm and cpu here, WebGPU as WGSL programs. */
export function fusedKernelsAvailable(...inputs: tf.Tensor[]): boolean {
  const backend = tf.getBackend();
  if (inputs.some((t) => t.dtype !== "float32")) return false;
  if (backend === "webgpu") {
    if (!webGpuFusedLayersSwitch.enabled) return false;
    registerWebGpuFusedLayers({ layerNorm: LAYER_NORM, layerNormGrad: LAYER_NORM_GRAD, gelu: GELU, geluGrad: GELU_GRAD });
  } else if (!(BACKENDS as readonly string[]).includes(backend)) {
    return false;
  }
  register();
  return true;
}

/** Whether the fused GELU runs on the current backend (fusedKernelsAvailable, and wasm SIMD in this runtime on the CPU). */
export function fusedGeluAvailable(x: tf.Tensor): boolean {
  return fusedKernelSwitches.gelu && (tf.getBackend() === "webgpu" || simdGeluAvailable()) && fusedKernelsAvailable(x);
}

/** Exact (erf) GELU in one kernel. Call only where fusedGeluAvailable(). */
export function fusedGelu(x: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(GELU, { x }) as tf.Tensor;
}

/** LayerNorm over the last axis; gamma and beta of that axis' size. Call only where fusedKernelsAvailable(). */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  return tf.engine().runKernel(LAYER_NORM, { x, gamma, beta }, { eps }) as tf.Tensor;
}
