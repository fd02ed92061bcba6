// BLIP's text decoder (med.py BertLMHeadModel, `text_decoder.*`): the BERT layers of bertEncoder.ts with causal
// self-attention and cross-attention to the image embeddings in every layer, then the MLM-style prediction head
// (dense + GELU + LayerNorm, then vocabulary logits). The output projection is tied to the word embeddings, as
// BERT's/BLIP's tie_word_embeddings; only the head's own bias `cls.predictions.bias` is a separate parameter.
import * as tf from "@tensorflow/tfjs";
import { declareLayerNorm, declareLinear, type ParamStore, type Params } from "./paramStore.js";
import { gelu, layerNorm, linear } from "./layers.js";
import { splitHeads } from "./attention.js";
import { declareBert, type BertConfig } from "./bertEncoder.js";

const EPS = 1e-12;

/** Name of the tied output matrix in PyTorch state dicts (same tensor as the word embeddings). */
export const tiedDecoderWeight = (prefix: string): string => `${prefix}cls.predictions.decoder.weight`;

export function declareDecoder(store: ParamStore, prefix: string, c: BertConfig): void {
  declareBert(store, `${prefix}bert.`, c);
  declareLinear(store, `${prefix}cls.predictions.transform.dense`, c.width, c.width);
  declareLayerNorm(store, `${prefix}cls.predictions.transform.LayerNorm`, c.width);
  store.add(`${prefix}cls.predictions.bias`, [c.vocabSize], { kind: "zeros" });
}

/** [B, T] 0/1 padding mask → [B, 1, T, T] additive mask that also hides later positions (BERT's is_decoder mask). */
export function causalAdditiveMask(mask: tf.Tensor2D): tf.Tensor4D {
  const [b, t] = mask.shape;
  return tf.tidy(() => {
    const lower = new Float32Array(t * t);
    for (let i = 0; i < t; i++) for (let j = 0; j <= i; j++) lower[i * t + j] = 1;
    const causal = tf.tensor4d(lower, [1, 1, t, t]);
    const visible = causal.mul(mask.toFloat().reshape([b, 1, 1, t]));
    return tf.scalar(1).sub(visible).mul(-10000) as tf.Tensor4D;
  });
}

function attend(p: Params, name: string, heads: number, x: tf.Tensor, kv: tf.Tensor, mask: tf.Tensor4D | null): tf.Tensor {
  const [b, t, d] = x.shape as [number, number, number];
  const q = splitHeads(linear(p, `${name}.self.query`, x), heads);
  const k = splitHeads(linear(p, `${name}.self.key`, kv), heads);
  const v = splitHeads(linear(p, `${name}.self.value`, kv), heads);
  let scores: tf.Tensor = tf.matMul(q, k, false, true).mul(1 / Math.sqrt(d / heads));
  if (mask) scores = scores.add(mask);
  const ctx = tf.matMul(tf.softmax(scores, -1) as tf.Tensor4D, v).transpose([0, 2, 1, 3]).reshape([b, t, d]);
  return layerNorm(p, `${name}.output.LayerNorm`, linear(p, `${name}.output.dense`, ctx).add(x), EPS);
}

/** Hidden states [B, T, D] of the decoder for ids/mask [B, T] attending to image embeddings [B, N, Dv]. */
export function decoderHidden(p: Params, prefix: string, c: BertConfig, ids: tf.Tensor2D, mask: tf.Tensor2D, image: tf.Tensor3D): tf.Tensor3D {
  const bp = `${prefix}bert.`;
  const t = ids.shape[1];
  const words = tf.gather(p(`${bp}embeddings.word_embeddings.weight`), ids);
  const pos = p(`${bp}embeddings.position_embeddings.weight`).slice([0, 0], [t, c.width]);
  let x = layerNorm(p, `${bp}embeddings.LayerNorm`, words.add(pos), EPS);
  const selfMask = causalAdditiveMask(mask);
  for (let i = 0; i < c.layers; i++) {
    const l = `${bp}encoder.layer.${i}.`;
    x = attend(p, `${l}attention`, c.heads, x, x, selfMask);
    x = attend(p, `${l}crossattention`, c.heads, x, image, null);
    const inter = gelu(linear(p, `${l}intermediate.dense`, x));
    x = layerNorm(p, `${l}output.LayerNorm`, linear(p, `${l}output.dense`, inter).add(x), EPS);
  }
  return x as tf.Tensor3D;
}

/** Vocabulary logits [..., V] from hidden states [..., D] (prediction head with the tied output matrix). */
export function decoderLogits(p: Params, prefix: string, hidden: tf.Tensor): tf.Tensor {
  const h = layerNorm(p, `${prefix}cls.predictions.transform.LayerNorm`, gelu(linear(p, `${prefix}cls.predictions.transform.dense`, hidden)), EPS);
  const d = h.shape[h.shape.length - 1]!;
  const words = p(`${prefix}bert.embeddings.word_embeddings.weight`) as tf.Tensor2D;
  const logits = tf.matMul(h.reshape([-1, d]) as tf.Tensor2D, words, false, true).add(p(`${prefix}cls.predictions.bias`));
  return logits.reshape([...h.shape.slice(0, -1), words.shape[0]]);
}
