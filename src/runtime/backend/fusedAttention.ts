// Multi-head attention (softmax(q kᵀ / sqrt(dh) + mask) v over heads) as one kernel on the wasm backend, and its
// gradient as one more.
//
// As tf ops (attention.ts) an attention is 14 kernel calls forward (three head splits of a Reshape and a Transpose, two
// products, the scaling, the mask's Reshape and Add, the softmax, the merge's Transpose and Reshape) and about 20
// backward, each through tfjs's engine (a tape node, a tracked tensor, a kernel lookup). A small BLIP training step
// runs 12 attentions, a few hundred of its ~1,000 kernel calls. Here the same backend kernels run inside one engine
// call each way: reshapes are views of the same storage, and the softmax's output is the kernel's second output,
// saved for the gradient as the Softmax kernel's is. The same kernels on the same values in the same order as the ops
// path and its registered gradients: the outputs and gradients are its bits (test/runtime/fusedAttention.test.ts).
import * as tf from "@tensorflow/tfjs";
import type { KernelArgs, TensorInfo, WasmBackendLike } from "./wasmKernelTypes.js";
import { registerWasmKernels, viewAs, wasmKernel } from "./wasmKernelCalls.js";

const ATTENTION = "LaviscAttention";
const ATTENTION_GRAD = "LaviscAttentionGrad";
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

/** [out, probs]: attention.ts's multiHeadAttention, and its softmax (saved for the gradient). */
function attentionKernel({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { q, k, v, mask } = inputs as { q: TensorInfo; k: TensorInfo; v: TensorInfo; mask?: TensorInfo };
  const heads = (attrs as { heads: number }).heads;
  const temps = new Temps(backend as WasmBackendLike);
  try {
    const [qh, kh, vh] = [temps.splitHeads(q, heads), temps.splitHeads(k, heads), temps.splitHeads(v, heads)];
    let scores = temps.run("BatchMatMul", { a: qh, b: kh }, { transposeA: false, transposeB: true });
    scores = temps.run("Multiply", { a: scores, b: temps.scalar(headScale(q, heads)) });
    if (mask) scores = temps.run("Add", { a: scores, b: mask.shape.length === 2 ? viewAs(mask, [q.shape[0]!, 1, 1, mask.shape[1]!]) : mask });
    const probs = wasmKernel("Softmax")({ inputs: { logits: scores }, backend, attrs: { dim: 3 } });
    const context = temps.run("BatchMatMul", { a: probs, b: vh }, { transposeA: false, transposeB: false });
    return [temps.mergeHeads(context), probs];
  } finally {
    temps.dispose();
  }
}

/**
 * [dq, dk, dv], as tfjs's gradients of the ops compute them, in backward order: the merge (Reshape, Transpose), the
 * second product (dy vᵀ, pᵀ dy), the softmax (dy·p − Σ(dy·p)·p), the mask's Add (dy), the scaling (dy·scale), the first
 * product (dy k, dyᵀ q), the splits (Transpose, Reshape).
 */
function attentionGradKernel({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { dy, q, k, v, probs } = inputs as { dy: TensorInfo; q: TensorInfo; k: TensorInfo; v: TensorInfo; probs: TensorInfo };
  const heads = (attrs as { heads: number }).heads;
  const temps = new Temps(backend as WasmBackendLike);
  try {
    const dContext = temps.splitHeads(dy, heads);
    const [qh, kh, vh] = [temps.splitHeads(q, heads), temps.splitHeads(k, heads), temps.splitHeads(v, heads)];
    const dProbs = temps.run("BatchMatMul", { a: dContext, b: vh }, { transposeA: false, transposeB: true });
    const dvh = temps.run("BatchMatMul", { a: probs, b: dContext }, { transposeA: true, transposeB: false });
    const dyTimesY = temps.run("Multiply", { a: dProbs, b: probs });
    const rowSums = temps.run("Sum", { x: dyTimesY }, { axis: [3], keepDims: true });
    const dLogits = temps.run("Sub", { a: dyTimesY, b: temps.run("Multiply", { a: rowSums, b: probs }) });
    const dScores = temps.run("Multiply", { a: dLogits, b: temps.scalar(headScale(q, heads)) });
    const dqh = temps.run("BatchMatMul", { a: dScores, b: kh }, { transposeA: false, transposeB: false });
    const dkh = temps.run("BatchMatMul", { a: dScores, b: qh }, { transposeA: true, transposeB: false });
    return [temps.mergeHeads(dqh), temps.mergeHeads(dkh), temps.mergeHeads(dvh)];
  } finally {
    temps.dispose();
  }
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  registerWasmKernels({ [ATTENTION]: attentionKernel, [ATTENTION_GRAD]: attentionGradKernel });
  tf.registerGradient({
    kernelName: ATTENTION,
    inputsToSave: ["q", "k", "v"],
    outputsToSave: [false, true],
    gradFunc: (dys, saved, attrs) => {
      const [q, k, v, probs] = saved as tf.Tensor[];
      // The softmax output feeds nothing outside the kernel: only the attention's output carries a gradient.
      const dy = Array.isArray(dys) ? dys[0]! : dys;
      const [dq, dk, dv] = tf.engine().runKernel(ATTENTION_GRAD, { dy, q: q!, k: k!, v: v!, probs: probs! }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return { q: () => dq!, k: () => dk!, v: () => dv! };
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
  const inputs: tf.NamedTensorMap = mask ? { q, k, v, mask } : { q, k, v };
  const [out, probs] = tf.engine().runKernel(ATTENTION, inputs, { heads }) as tf.Tensor[];
  // The gradient keeps its own reference to the softmax (the engine saves it); this one is not needed.
  probs!.dispose();
  return out!;
}
