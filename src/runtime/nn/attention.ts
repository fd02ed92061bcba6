// Scaled dot-product multi-head attention on [B, T, D] tensors.
import * as tf from "@tensorflow/tfjs";
import { fusedAttention, fusedAttentionAvailable } from "../backend/fusedAttention.js";
import type { TrainNoise } from "./dropout.js";

/** Dropout of the attention probabilities in a training forward (med.py BertSelfAttention's `self.dropout`). */
export interface ProbsDropout {
  readonly noise: TrainNoise;
  readonly p: number;
}

/** Splits heads: [B, T, D] → [B, H, T, D/H]. */
export function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [b, t, d] = x.shape as [number, number, number];
  return x.reshape([b, t, heads, d / heads]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
}

/**
 * softmax(q k^T / sqrt(dh) + mask) v for already projected q [B,Tq,D], k/v [B,Tk,D]. `additiveMask` is 0 for visible
 * keys and a large negative number for hidden ones: [B, Tk] (padding, BERT's extended mask), or 4-D and broadcast over
 * [B, heads, Tq, Tk] (a decoder's causal mask, [B or 1, 1, Tq, Tk]); or null. `probsDropout` (training, p > 0) drops
 * attention probabilities before they weight v, on the unfused path; without it the fused kernel runs where it can.
 */
export function multiHeadAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, heads: number, additiveMask: tf.Tensor | null, probsDropout: ProbsDropout | null = null): tf.Tensor {
  const dropping = probsDropout !== null && probsDropout.p > 0;
  if (!dropping && fusedAttentionAvailable(q, k, v, heads, additiveMask)) return fusedAttention(q, k, v, heads, additiveMask);
  const [b, tq, d] = q.shape as [number, number, number];
  const dh = d / heads;
  const qh = splitHeads(q, heads);
  const kh = splitHeads(k, heads);
  const vh = splitHeads(v, heads);
  let scores: tf.Tensor = tf.matMul(qh, kh, false, true).mul(1 / Math.sqrt(dh));
  if (additiveMask) scores = scores.add(additiveMask.rank === 2 ? additiveMask.reshape([b, 1, 1, -1]) : additiveMask);
  const probs = dropping ? probsDropout.noise.dropout(tf.softmax(scores, -1), probsDropout.p) : tf.softmax(scores, -1);
  const ctx = tf.matMul(probs as tf.Tensor4D, vh);
  return ctx.transpose([0, 2, 1, 3]).reshape([b, tq, d]);
}

/** BERT's extended attention mask: (1 - mask) * fill for a 0/1 mask (med.py's fill: BertConfig.attentionMaskFill). */
export function additiveMaskFrom(mask: tf.Tensor, fill: number): tf.Tensor {
  return tf.scalar(1).sub(mask.toFloat()).mul(fill);
}
