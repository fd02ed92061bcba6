// LayerNorm and GELU as WGSL programs for tfjs's WebGPU backend, registered under the fused kernels' names
// (fusedKernels.ts: LaviscLayerNorm, LaviscGelu and their gradients), so layers.ts takes the same fused path on a GPU
// as on wasm. As tf ops a LayerNorm is about 9 GPU programs forward and 20 backward, a GELU 5 and 8; on a GPU each
// program costs a dispatch whatever its size, and tfjs's WebGPU backend was host-bound on an H200 (bench/README.md).
// Here: LayerNorm 1 program forward and 4 backward (row statistics, dx, dγ, dβ), GELU 1 and 1.
// One invocation per row (LayerNorm) or per element (GELU); erf is tfjs's own approximation on WebGPU (Abramowitz and
// Stegun 7.1.26), so the results match the tf-ops path on WebGPU to float32 rounding (test/runtime/webgpu/).
import * as tf from "@tensorflow/tfjs";
import { f32, i32, WORKGROUP, type KernelArgs, type TensorInfo, type Uniform, type WebGpuBackendLike } from "./webgpuProgram.js";

/** A program run by `threads` invocations (`main(index)`, index < threads) that writes `outputShape` as it likes. */
class ThreadsProgram {
  readonly workgroupSize = WORKGROUP;
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;
  readonly uniforms: string;

  constructor(name: string, readonly variableNames: string[], readonly outputShape: number[], threads: number, uniformDecls: string, private readonly body: string) {
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    this.dispatch = [Math.max(1, Math.ceil(threads / WORKGROUP[0])), 1, 1];
    this.shaderKey = `laviscFused_${name}`;
    this.uniforms = `threads : i32, ${uniformDecls}`;
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.threads) {
          ${this.body}
        }
      }
    `;
  }
}


/** Mean and 1/sqrt(var + eps) of row `index` of X (width uniforms.d), as `mean` and `rstd`. */
const ROW_STATS = `
  let d = uniforms.d;
  let base = index * d;
  var sum = 0.0;
  for (var j = 0; j < d; j++) { sum = sum + X[base + j]; }
  let mean = sum / f32(d);
  var sq = 0.0;
  for (var j = 0; j < d; j++) { let c = X[base + j] - mean; sq = sq + c * c; }
  let rstd = 1.0 / sqrt(sq / f32(d) + uniforms.eps);
`;

function run(backend: unknown, program: ThreadsProgram, inputs: TensorInfo[], uniforms: Uniform[]): TensorInfo {
  return (backend as WebGpuBackendLike).runWebGPUProgram(program, inputs, "float32", uniforms);
}

function layerNormKernel({ inputs: { x, gamma, beta }, backend, attrs }: KernelArgs): TensorInfo {
  const d = gamma!.shape[0]!;
  const rows = x!.shape.reduce((a, b) => a * b, 1) / d;
  const program = new ThreadsProgram("layerNorm", ["X", "G", "B"], x!.shape, rows, "d : i32, eps : f32,", `${ROW_STATS}
    for (var j = 0; j < d; j++) { setOutputAtIndex(base + j, (X[base + j] - mean) * rstd * G[j] + B[j]); }`);
  return run(backend, program, [x!, gamma!, beta!], [i32(rows), i32(d), f32(attrs!["eps"] as number)]);
}

/** [dx, dγ, dβ] with dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), dx̂ = dy·γ; dγ = Σ dy·x̂; dβ = Σ dy. */
function layerNormGradKernel({ inputs: { dy, x, gamma }, backend, attrs }: KernelArgs): TensorInfo[] {
  const d = gamma!.shape[0]!;
  const rows = x!.shape.reduce((a, b) => a * b, 1) / d;
  const eps = f32(attrs!["eps"] as number);
  const stats = run(backend, new ThreadsProgram("layerNormStats", ["X"], [rows, 2], rows, "d : i32, eps : f32,", `${ROW_STATS}
    setOutputAtIndex(index * 2, mean);
    setOutputAtIndex(index * 2 + 1, rstd);`), [x!], [i32(rows), i32(d), eps]);
  const dx = run(backend, new ThreadsProgram("layerNormDx", ["Dy", "X", "G", "S"], x!.shape, rows, "d : i32,", `
    let d = uniforms.d;
    let base = index * d;
    let mean = S[index * 2];
    let rstd = S[index * 2 + 1];
    var meanDxhat = 0.0;
    var meanDxhatXhat = 0.0;
    for (var j = 0; j < d; j++) {
      let dxhat = Dy[base + j] * G[j];
      meanDxhat = meanDxhat + dxhat;
      meanDxhatXhat = meanDxhatXhat + dxhat * (X[base + j] - mean) * rstd;
    }
    meanDxhat = meanDxhat / f32(d);
    meanDxhatXhat = meanDxhatXhat / f32(d);
    for (var j = 0; j < d; j++) {
      let xhat = (X[base + j] - mean) * rstd;
      setOutputAtIndex(base + j, rstd * (Dy[base + j] * G[j] - meanDxhat - xhat * meanDxhatXhat));
    }`), [dy!, x!, gamma!, stats], [i32(rows), i32(d)]);
  // A program's layout holds only the inputs its code reads (WebGPU drops the others' bindings), so each sum names its own.
  const columnSum = (name: string, names: string[], inputs: TensorInfo[], term: string) =>
    run(backend, new ThreadsProgram(name, names, [d], d, "d : i32, rows : i32,", `
      let d = uniforms.d;
      var sum = 0.0;
      for (var r = 0; r < uniforms.rows; r++) { sum = sum + ${term}; }
      setOutputAtIndex(index, sum);`), inputs, [i32(d), i32(d), i32(rows)]);
  const dg = columnSum("layerNormDgamma", ["Dy", "X", "S"], [dy!, x!, stats], "Dy[r * d + index] * (X[r * d + index] - S[r * 2]) * S[r * 2 + 1]");
  const db = columnSum("layerNormDbeta", ["Dy"], [dy!], "Dy[r * d + index]");
  (backend as { disposeData(dataId: object): void }).disposeData(stats.dataId);
  return [dx, dg, db];
}

/** tfjs's WebGPU erf (Abramowitz and Stegun 7.1.26) of `a`, as a WGSL function. */
const ERF_FN = `
  fn laviscErf(a : f32) -> f32 {
    let p = ${tf.backend_util.ERF_P};
    let a1 = ${tf.backend_util.ERF_A1};
    let a2 = ${tf.backend_util.ERF_A2};
    let a3 = ${tf.backend_util.ERF_A3};
    let a4 = ${tf.backend_util.ERF_A4};
    let a5 = ${tf.backend_util.ERF_A5};
    let absA = abs(a);
    let t = 1.0 / (1.0 + p * absA);
    return sign(a) * (1.0 - (((((a5 * t + a4) * t) + a3) * t + a2) * t + a1) * t * exp(-absA * absA));
  }
`;

class GeluProgram extends ThreadsProgram {
  override getUserCode(): string {
    return ERF_FN + super.getUserCode();
  }
}

function geluKernel({ inputs: { x }, backend }: KernelArgs): TensorInfo {
  const n = x!.shape.reduce((a, b) => a * b, 1);
  const program = new GeluProgram("gelu", ["X"], x!.shape, n, "", `
    let v = X[index];
    setOutputAtIndex(index, 0.5 * v * (1.0 + laviscErf(v * ${Math.SQRT1_2})));`);
  return run(backend, program, [x!], [i32(n)]);
}

/** dy · (Φ(x) + x·φ(x)): the derivative of x·Φ(x) with Φ(x) = (1 + erf(x/√2))/2 and φ the normal density. */
function geluGradKernel({ inputs: { dy, x }, backend }: KernelArgs): TensorInfo {
  const n = x!.shape.reduce((a, b) => a * b, 1);
  const program = new GeluProgram("geluGrad", ["Dy", "X"], x!.shape, n, "", `
    let v = X[index];
    let cdf = 0.5 * (1.0 + laviscErf(v * ${Math.SQRT1_2}));
    let pdf = exp(-0.5 * v * v) * ${1 / Math.sqrt(2 * Math.PI)};
    setOutputAtIndex(index, Dy[index] * (cdf + v * pdf));`);
  return run(backend, program, [dy!, x!], [i32(n)]);
}

/** Whether WebGPU takes these programs (switchable for tests and A/B runs against the tf-ops path). */
export const webGpuFusedLayersSwitch = { enabled: true };

let registered = false;

/** Registers the programs for "webgpu" under the fused kernels' names (fusedKernels.ts registers the gradients). */
export function registerWebGpuFusedLayers(names: { layerNorm: string; layerNormGrad: string; gelu: string; geluGrad: string }): void {
  if (registered) return;
  registered = true;
  const kernels: [string, unknown][] = [
    [names.layerNorm, layerNormKernel], [names.layerNormGrad, layerNormGradKernel], [names.gelu, geluKernel], [names.geluGrad, geluGradKernel],
  ];
  for (const [kernelName, fn] of kernels) {
    if (!tf.getKernel(kernelName, "webgpu")) tf.registerKernel({ kernelName, backendName: "webgpu", kernelFunc: fn as tf.KernelFunc });
  }
}
