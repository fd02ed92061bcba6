// Stateless layer functions over named parameters (no tf.layers: we control names, layouts and parameter groups).
import * as tf from "@tensorflow/tfjs";
import type { Params } from "./paramStore.js";
import { fusedLinear, fusedLinearAvailable } from "../backend/fusedLinear.js";
import { fusedGelu, fusedGeluAvailable, fusedKernelSwitches, fusedKernelsAvailable, fusedLayerNorm } from "../backend/fusedKernels.js";

/** y = x W^T + b with W in PyTorch layout [out, in]; x of any rank is folded to 2-D (the fast matmul path). */
export function linear(p: Params, name: string, x: tf.Tensor, bias = true): tf.Tensor {
  const w = p(`${name}.weight`);
  const b = bias ? p(`${name}.bias`) : null;
  if (fusedLinearAvailable(x, w, b)) return fusedLinear(x, w, b);
  const inDim = x.shape[x.shape.length - 1]!;
  const outDim = w.shape[0]!;
  const x2 = x.reshape([-1, inDim]) as tf.Tensor2D;
  let y: tf.Tensor = tf.matMul(x2, w as tf.Tensor2D, false, true);
  if (b) y = y.add(b);
  return y.reshape([...x.shape.slice(0, -1), outDim]);
}

export function layerNorm(p: Params, name: string, x: tf.Tensor, eps: number): tf.Tensor {
  const gamma = p(`${name}.weight`);
  const beta = p(`${name}.bias`);
  if (fusedKernelSwitches.layerNorm && fusedKernelsAvailable(x, gamma, beta)) return fusedLayerNorm(x, gamma, beta, eps);
  return layerNormWithOps(x, gamma, beta, eps);
}

export function layerNormWithOps(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const axis = x.shape.length - 1;
  const { mean, variance } = tf.moments(x, axis, true);
  const normed = x.sub(mean).mul(tf.rsqrt(variance.add(eps)));
  return normed.mul(gamma).add(beta);
}

/** Exact (erf) GELU, as torch.nn.GELU and BERT's "gelu". */
export function gelu(x: tf.Tensor): tf.Tensor {
  if (fusedGeluAvailable(x)) return fusedGelu(x);
  return geluWithOps(x);
}

export function geluWithOps(x: tf.Tensor): tf.Tensor {
  return x.mul(0.5).mul(tf.erf(x.mul(Math.SQRT1_2)).add(1));
}

/** L2-normalise along the last axis (F.normalize, eps 1e-12). */
export function l2normalize(x: tf.Tensor): tf.Tensor {
  const norm = tf.sqrt(x.square().sum(-1, true)).maximum(1e-12);
  return x.div(norm);
}
