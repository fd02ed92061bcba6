// BLIP's text decoder (med.py BertLMHeadModel, `text_decoder.*`), the one decoder of captions (cross-attending the
// image embeddings) and VQA answers (cross-attending the question states, with their padding mask): the BERT layers of
// bertEncoder.ts with causal self-attention and cross-attention in every layer, then the MLM-style prediction head
// (dense + GELU + LayerNorm, then vocabulary logits). The output projection is tied to the word embeddings, as
// BERT's/BLIP's tie_word_embeddings; only the head's own bias `cls.predictions.bias` is a separate parameter.
// A training forward (`noise`) applies the BERT layers' dropouts (bertEncoder.ts); the prediction head has none (med.py
// BertLMPredictionHead), and generation (`decoderStep`) is evaluation: nothing is dropped.
import * as tf from "@tensorflow/tfjs";
import { declareLayerNorm, declareLinear, type ParamStore, type Params } from "./paramStore.js";
import { bertLinear } from "./init.js";
import { gelu, layerNorm, linear } from "./layers.js";
import { additiveMaskFrom, multiHeadAttention } from "./attention.js";
import { attentionOutput, bertEmbeddings, declareBert, feedForward, type BertConfig } from "./bertEncoder.js";
import type { TrainNoise } from "./dropout.js";

/** Name of the tied output matrix in PyTorch state dicts (same tensor as the word embeddings). */
export const tiedDecoderWeight = (prefix: string): string => `${prefix}cls.predictions.decoder.weight`;

/** State-dict names that alias other tensors (HF writes the tied decoder weight and bias under their own names). */
export function tiedAliases(prefix: string): Record<string, string> {
  return {
    [tiedDecoderWeight(prefix)]: `${prefix}bert.embeddings.word_embeddings.weight`,
    [`${prefix}cls.predictions.decoder.bias`]: `${prefix}cls.predictions.bias`,
  };
}

export function declareDecoder(store: ParamStore, prefix: string, c: BertConfig): void {
  declareBert(store, `${prefix}bert.`, c);
  declareLinear(store, `${prefix}cls.predictions.transform.dense`, c.width, c.width, bertLinear(c.initializerRange));
  declareLayerNorm(store, `${prefix}cls.predictions.transform.LayerNorm`, c.width);
  store.add(`${prefix}cls.predictions.bias`, [c.vocabSize], { kind: "zeros" });
}

/**
 * [B, T] 0/1 padding mask → [B, 1, T, T] additive mask that also hides later positions (BERT's is_decoder mask), `fill`
 * where hidden.
 */
export function causalAdditiveMask(mask: tf.Tensor2D, fill: number): tf.Tensor4D {
  const [b, t] = mask.shape;
  return tf.tidy(() => {
    const lower = new Float32Array(t * t);
    for (let i = 0; i < t; i++) for (let j = 0; j <= i; j++) lower[i * t + j] = 1;
    const causal = tf.tensor4d(lower, [1, 1, t, t]);
    const visible = causal.mul(mask.toFloat().reshape([b, 1, 1, t]));
    return tf.scalar(1).sub(visible).mul(fill) as tf.Tensor4D;
  });
}

/**
 * Hidden states [B, T, D] of the decoder for ids/mask [B, T] attending to encoder states [B, N, Dv] (the image
 * embeddings for captions, the question states for VQA answers). `statesMask` [B, N] (0/1) hides padded states;
 * null, all are visible. `noise`: a training forward (dropout); null: evaluation.
 */
export function decoderHidden(p: Params, prefix: string, c: BertConfig, ids: tf.Tensor2D, mask: tf.Tensor2D, states: tf.Tensor3D, statesMask: tf.Tensor2D | null = null, noise: TrainNoise | null = null): tf.Tensor3D {
  const bp = `${prefix}bert.`;
  let x = bertEmbeddings(p, bp, c, ids, 0, noise);
  const selfMask = causalAdditiveMask(mask, c.attentionMaskFill);
  // The encoder states' padding, hidden with the same fill (med.py: HF's invert_attention_mask; see
  // stdlib/encoders.lv text_attention_mask_fill).
  const crossMask = statesMask ? (additiveMaskFrom(statesMask, c.attentionMaskFill).reshape([statesMask.shape[0], 1, 1, -1]) as tf.Tensor4D) : null;
  for (let i = 0; i < c.layers; i++) {
    const l = `${bp}encoder.layer.${i}.`;
    x = attend(p, `${l}attention`, c, x, x, selfMask, noise);
    x = attend(p, `${l}crossattention`, c, x, states, crossMask, noise);
    x = feedForward(p, l, c, x, noise);
  }
  return x as tf.Tensor3D;
}

/** Vocabulary logits [..., V] from hidden states [..., D] (prediction head with the tied output matrix); `eps`: layer_norm_eps. */
export function decoderLogits(p: Params, prefix: string, hidden: tf.Tensor, eps: number): tf.Tensor {
  const h = layerNorm(p, `${prefix}cls.predictions.transform.LayerNorm`, gelu(linear(p, `${prefix}cls.predictions.transform.dense`, hidden)), eps);
  const d = h.shape[h.shape.length - 1]!;
  const words = p(`${prefix}bert.embeddings.word_embeddings.weight`) as tf.Tensor2D;
  const logits = tf.matMul(h.reshape([-1, d]) as tf.Tensor2D, words, false, true).add(p(`${prefix}cls.predictions.bias`));
  return logits.reshape([...h.shape.slice(0, -1), words.shape[0]]);
}

/** Per-layer projected keys/values [R, T, D]: self-attention (growing) and cross-attention (fixed, from the image). */
export interface DecoderCache {
  readonly self: { k: tf.Tensor; v: tf.Tensor }[];
  readonly cross: { k: tf.Tensor; v: tf.Tensor }[];
}

/** Cross-attention keys/values of every layer for image embeddings [R, N, Dv] (computed once per generation). */
export function decoderCrossCache(p: Params, prefix: string, c: BertConfig, image: tf.Tensor3D): DecoderCache["cross"] {
  return Array.from({ length: c.layers }, (_, i) => {
    const n = `${prefix}bert.encoder.layer.${i}.crossattention.self`;
    return { k: linear(p, `${n}.key`, image), v: linear(p, `${n}.value`, image) };
  });
}

/**
 * BERT attention of x over kv, then its output block; `noise`: training (dropout), null: evaluation. Keys and values
 * are projected before the query, as this decoder always has: the gradients then add up in the same order, and a
 * model without dropout trains bit for bit as before.
 */
function attend(p: Params, name: string, c: BertConfig, x: tf.Tensor, kv: tf.Tensor, mask: tf.Tensor4D | null, noise: TrainNoise | null): tf.Tensor {
  return attendCached(p, name, c, x, linear(p, `${name}.self.key`, kv), linear(p, `${name}.self.value`, kv), mask, noise);
}

/** BERT attention over projected keys/values k, v [B, Tk, D] (a layer's own, or the cache's), then its output block. */
function attendCached(p: Params, name: string, c: BertConfig, x: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask: tf.Tensor4D | null, noise: TrainNoise | null): tf.Tensor {
  const ctx = multiHeadAttention(linear(p, `${name}.self.query`, x), k, v, c.heads, mask, noise && { noise, p: c.attentionDropout });
  return attentionOutput(p, name, c, x, ctx, noise);
}

/**
 * Incremental decoding (HF past_key_values): runs only the new tokens `ids` [R, n] at positions past..past+n-1 over
 * the cached keys/values of the earlier positions (all visible, no padding). Returns the new tokens' hidden states
 * and the extended self-attention cache; equal to decoderHidden on the whole sequence up to float rounding.
 */
export function decoderStep(p: Params, prefix: string, c: BertConfig, ids: tf.Tensor2D, cache: DecoderCache): { hidden: tf.Tensor3D; self: DecoderCache["self"] } {
  const bp = `${prefix}bert.`;
  const n = ids.shape[1];
  const past = cache.self.length ? cache.self[0]!.k.shape[1]! : 0;
  let x = bertEmbeddings(p, bp, c, ids, past, null);
  let mask: tf.Tensor4D | null = null;
  if (n > 1) {
    // New tokens see every cached position and the new ones up to themselves.
    const m = new Float32Array(n * (past + n));
    for (let i = 0; i < n; i++) for (let j = past + i + 1; j < past + n; j++) m[i * (past + n) + j] = c.attentionMaskFill;
    mask = tf.tensor4d(m, [1, 1, n, past + n]);
  }
  const self: DecoderCache["self"] = [];
  for (let i = 0; i < c.layers; i++) {
    const l = `${bp}encoder.layer.${i}.`;
    const a = `${l}attention.self`;
    let k = linear(p, `${a}.key`, x);
    let v = linear(p, `${a}.value`, x);
    const prev = cache.self[i];
    if (prev) {
      k = tf.concat([prev.k, k], 1);
      v = tf.concat([prev.v, v], 1);
    }
    self.push({ k, v });
    x = attendCached(p, `${l}attention`, c, x, k, v, mask, null);
    x = attendCached(p, `${l}crossattention`, c, x, cache.cross[i]!.k, cache.cross[i]!.v, null, null);
    x = feedForward(p, l, c, x, null);
  }
  return { hidden: x as tf.Tensor3D, self };
}

/**
 * torch CrossEntropyLoss(label_smoothing=ε, ignore_index) as BertLMHeadModel uses it: the target distribution is
 * (1-ε)·onehot + ε/V, averaged over tokens with weight 1 (weight 0 = ignored). logits [..., V], labels/weights [...].
 */
export function labelSmoothedLoss(logits: tf.Tensor, labels: tf.Tensor, weights: tf.Tensor, eps: number): tf.Scalar {
  const v = logits.shape[logits.shape.length - 1]!;
  const logp = tf.logSoftmax(logits, -1);
  const target = tf.oneHot(labels, v).mul(1 - eps).add(eps / v);
  const perToken = logp.mul(target).sum(-1).neg();
  return perToken.mul(weights).sum().div(weights.sum().maximum(1)) as tf.Scalar;
}

/**
 * BertLMHeadModel's loss with reduction "none" (VQA answers): next-token cross-entropy with label smoothing `eps`
 * (med.py's 0.1: the model key `label_smoothing`), padding positions (mask 0) ignored, summed per sequence → [B].
 */
export function sequenceLoss(logits: tf.Tensor3D, ids: tf.Tensor2D, mask: tf.Tensor2D, eps: number): tf.Tensor1D {
  const [bsz, t, v] = logits.shape;
  const logp = tf.logSoftmax(logits.slice([0, 0, 0], [bsz, t - 1, v]), -1);
  const targets = ids.slice([0, 1], [bsz, t - 1]);
  const nll = tf.oneHot(targets.reshape([-1]) as tf.Tensor1D, v).reshape([bsz, t - 1, v]).mul(logp).sum(-1).neg();
  const smooth = logp.mean(-1).neg();
  const perToken = nll.mul(1 - eps).add(smooth.mul(eps));
  return perToken.mul(mask.slice([0, 1], [bsz, t - 1]).toFloat()).sum(1) as tf.Tensor1D;
}
