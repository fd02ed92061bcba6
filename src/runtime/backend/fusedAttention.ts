// Multi-head attention (softmax(q kᵀ / sqrt(dh) + mask) v over heads) as two kernels on the wasm backend, the
// attention weights and the context, each with a gradient kernel.
//
// As tf ops (attention.ts) an attention is 14 kernel calls forward (three head splits of a Reshape and a Transpose, two
// products, the scaling, the mask's Reshape and Add, the softmax, the merge's Transpose and Reshape) and about 20
// backward, each through tfjs's engine (a tape node, a tracked tensor, a kernel lookup). A small BLIP training step
// runs 12 attentions, a few hundred of its ~1,000 kernel calls. Here the same backend kernels run inside two engine
// calls each way, with reshapes as views of the same storage. The weights (the softmax's output) are a tensor between
// the two kernels, saved for the gradient as tfjs saves the Softmax kernel's output: as a second output of a single
// kernel they would get no gradient, and the engine would make a host array of zeros as large as them for it at every
// backward pass (at ViT-B/16's 577 tokens, 128 MB per layer at batch 8). The same kernels on the same values in the
// same order as the ops path and its registered gradients: the outputs and gradients are its bits
// (test/runtime/fusedAttention.test.ts).
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs, TensorInfo, WasmBackendLike } from "./wasmKernelTypes.js";
import { registerWasmKernels, viewAs, wasmKernel } from "./wasmKernelCalls.js";

const WEIGHTS = "LaviscAttentionWeights";
const WEIGHTS_GRAD = "LaviscAttentionWeightsGrad";
const CONTEXT = "LaviscAttentionContext";
const CONTEXT_GRAD = "LaviscAttentionContextGrad";
/** [B, T, H, dh] <-> [B, H, T, dh] (its own inverse). */
const HEAD_PERM = [0, 2, 1, 3];

/** Whether attention takes the fused kernel (switchable at run time for interleaved A/B measurements). */
export const fusedAttentionSwitch = { enabled: true };

/** The kernels' temporaries, disposed together at the end of a kernel. */
class Temps {
  private readonly ids: object[] = [];
  constructor(private readonly backend: WasmBackendLike) {}
  keep(t: TensorInfo): TensorInfo {
    this.ids.push(t.dataId);
    return t;
  }
  run(kernel: string, inputs: Record<string, TensorInfo>, attrs?: Record<string, unknown>): TensorInfo {
    return this.keep(wasmKernel(kernel)({ inputs, backend: this.backend, attrs }));
  }
  /** [B, T, H*dh] -> [B, H, T, dh], as splitHeads does (Reshape, Transpose). */
  splitHeads(x: TensorInfo, heads: number): TensorInfo {
    const [b, t, d] = x.shape as [number, number, number];
    return this.run("Transpose", { x: viewAs(x, [b, t, heads, d / heads]) }, { perm: HEAD_PERM });
  }
  /** [B, H, T, dh] -> [B, T, H*dh] (Transpose, Reshape), not kept: it is an output. */
  mergeHeads(x: TensorInfo): TensorInfo {
    const [b, h, t, dh] = x.shape as [number, number, number, number];
    const merged = wasmKernel("Transpose")({ inputs: { x }, backend: this.backend, attrs: { perm: HEAD_PERM } });
    return viewAs(merged, [b, t, h * dh]);
  }
  /** A float32 scalar, as tf makes from a number operand (`scores.mul(1 / Math.sqrt(dh))`). */
  scalar(value: number): TensorInfo {
    const s = this.keep(this.backend.makeOutput([], "float32"));
    (this.backend.typedArrayFromHeap(s) as Float32Array)[0] = value;
    return s;
  }
  dispose(): void {
    for (const id of this.ids) this.backend.disposeData(id);
  }
}

const headScale = (q: TensorInfo, heads: number): number => 1 / Math.sqrt(q.shape[2]! / heads);

/** softmax(q kᵀ · scale + mask) per head: the attention weights [B, H, Tq, Tk]. */
function weightsKernel({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { q, k, mask } = inputs as { q: TensorInfo; k: TensorInfo; mask?: TensorInfo };
  const heads = (attrs as { heads: number }).heads;
  const temps = new Temps(backend as WasmBackendLike);
  try {
    let scores = temps.run("BatchMatMul", { a: temps.splitHeads(q, heads), b: temps.splitHeads(k, heads) }, { transposeA: false, transposeB: true });
    scores = temps.run("Multiply", { a: scores, b: temps.scalar(headScale(q, heads)) });
    if (mask) scores = temps.run("Add", { a: scores, b: mask.shape.length === 2 ? viewAs(mask, [q.shape[0]!, 1, 1, mask.shape[1]!]) : mask });
    return wasmKernel("Softmax")({ inputs: { logits: scores }, backend, attrs: { dim: 3 } });
  } finally {
    temps.dispose();
  }
}

/** The weights' gradient, as tfjs computes it: the softmax's (dy·p − Σ(dy·p)·p), the mask's Add (dy), the scaling
 * (dy·scale), the product (dy k, dyᵀ q), the splits (Transpose, Reshape). [dq, dk]. */
function weightsGradKernel({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { dy, q, k, weights } = inputs as { dy: TensorInfo; q: TensorInfo; k: TensorInfo; weights: TensorInfo };
  const heads = (attrs as { heads: number }).heads;
  const temps = new Temps(backend as WasmBackendLike);
  try {
    const dyTimesY = temps.run("Multiply", { a: dy, b: weights });
    const rowSums = temps.run("Sum", { x: dyTimesY }, { axis: [3], keepDims: true });
    const dLogits = temps.run("Sub", { a: dyTimesY, b: temps.run("Multiply", { a: rowSums, b: weights }) });
    const dScores = temps.run("Multiply", { a: dLogits, b: temps.scalar(headScale(q, heads)) });
    const dqh = temps.run("BatchMatMul", { a: dScores, b: temps.splitHeads(k, heads) }, { transposeA: false, transposeB: false });
    const dkh = temps.run("BatchMatMul", { a: dScores, b: temps.splitHeads(q, heads) }, { transposeA: true, transposeB: false });
    return [temps.mergeHeads(dqh), temps.mergeHeads(dkh)];
  } finally {
    temps.dispose();
  }
}

/** The weights applied to v per head, heads merged: [B, Tq, D]. */
function contextKernel({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { weights, v } = inputs as { weights: TensorInfo; v: TensorInfo };
  const temps = new Temps(backend as WasmBackendLike);
  try {
    return temps.mergeHeads(temps.run("BatchMatMul", { a: weights, b: temps.splitHeads(v, (attrs as { heads: number }).heads) }, { transposeA: false, transposeB: false }));
  } finally {
    temps.dispose();
  }
}

/** The context's gradient: the merge (Reshape, Transpose), the product (dy vᵀ, pᵀ dy), v's split. [dWeights, dv]. */
function contextGradKernel({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { dy, weights, v } = inputs as { dy: TensorInfo; weights: TensorInfo; v: TensorInfo };
  const heads = (attrs as { heads: number }).heads;
  const temps = new Temps(backend as WasmBackendLike);
  try {
    const dContext = temps.splitHeads(dy, heads);
    const dWeights = wasmKernel("BatchMatMul")({ inputs: { a: dContext, b: temps.splitHeads(v, heads) }, backend, attrs: { transposeA: false, transposeB: true } });
    const dvh = temps.run("BatchMatMul", { a: weights, b: dContext }, { transposeA: true, transposeB: false });
    return [dWeights, temps.mergeHeads(dvh)];
  } finally {
    temps.dispose();
  }
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  registerWasmKernels({ [WEIGHTS]: weightsKernel, [WEIGHTS_GRAD]: weightsGradKernel, [CONTEXT]: contextKernel, [CONTEXT_GRAD]: contextGradKernel });
  tf.registerGradient({
    kernelName: WEIGHTS,
    inputsToSave: ["q", "k"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [q, k, weights] = saved as tf.Tensor[];
      const [dq, dk] = tf.engine().runKernel(WEIGHTS_GRAD, { dy: dy as tf.Tensor, q: q!, k: k!, weights: weights! }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return { q: () => dq!, k: () => dk! };
    },
  });
  tf.registerGradient({
    kernelName: CONTEXT,
    inputsToSave: ["weights", "v"],
    gradFunc: (dy, saved, attrs) => {
      const [weights, v] = saved as tf.Tensor[];
      const [dWeights, dv] = tf.engine().runKernel(CONTEXT_GRAD, { dy: dy as tf.Tensor, weights: weights!, v: v! }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return { weights: () => dWeights!, v: () => dv! };
    },
  });
}

/**
 * Whether multiHeadAttention takes the fused kernel: the wasm backend, float32 [B, T, D] operands, D divisible by heads,
 * a [B, Tk] or 4-D mask.
 */
export function fusedAttentionAvailable(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, heads: number, mask: tf.Tensor | null): boolean {
  if (!fusedAttentionSwitch.enabled || tf.getBackend() !== "wasm") return false;
  if ([q, k, v].some((t) => t.dtype !== "float32" || t.rank !== 3) || (mask && (mask.dtype !== "float32" || (mask.rank !== 2 && mask.rank !== 4)))) return false;
  if (q.shape[2]! % heads !== 0 || k.shape[2] !== q.shape[2] || v.shape[2] !== q.shape[2]) return false;
  register();
  return true;
}

/** softmax(q kᵀ / sqrt(D / heads) + mask) v per head, merged back to [B, Tq, D]. Call only where fusedAttentionAvailable(). */
export function fusedAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, heads: number, mask: tf.Tensor | null): tf.Tensor {
  const weights = tf.engine().runKernel(WEIGHTS, mask ? { q, k, mask } : { q, k }, { heads }) as tf.Tensor;
  const context = tf.engine().runKernel(CONTEXT, { weights, v }, { heads }) as tf.Tensor;
  // A recording tape saved its own references to the weights (for both gradients); without one they are garbage now.
  weights.dispose();
  return context;
}
