// BERT-style text encoder as BLIP's med.py BertModel (word + position embeddings, post-norm layers, LayerNorm eps from
// the med config's layer_norm_eps, inits from its initializer_range),
// with optional cross-attention to image embeddings (BLIP's "multimodal" mode); the "text" mode skips it. Cross-attention
// sits in every layer (BLIP) or, with `fusionLayer` F (ALBEF's med_config `fusion_layer`), only in layers >= F.
// A training forward (`noise`) applies med.py's dropouts: the embeddings after their LayerNorm (BertEmbeddings), the
// attention probabilities (BertSelfAttention, self and cross), and each attention and feed-forward output before its
// residual LayerNorm (BertSelfOutput, BertOutput).
import * as tf from "@tensorflow/tfjs";
import { declareLayerNorm, declareLinear, type LinearInit, type ParamStore, type Params } from "./paramStore.js";
import { bertEmbedding, bertLinear } from "./init.js";
import { gelu, layerNorm, linear } from "./layers.js";
import { additiveMaskFrom, multiHeadAttention } from "./attention.js";
import { dropout, type TrainNoise } from "./dropout.js";

export interface BertConfig {
  readonly vocabSize: number;
  readonly maxPositions: number;
  readonly width: number;
  readonly layers: number;
  readonly heads: number;
  readonly intermediate: number;
  /** Width of the image embeddings attended to; 0 = no cross-attention layers. */
  readonly encoderWidth: number;
  /** First layer with cross-attention (ALBEF's `fusion_layer`); layers below it are text-only. Default 0 (BLIP). */
  readonly fusionLayer?: number;
  /** Std of the normal inits of every Linear and Embedding (the med config's initializer_range). */
  readonly initializerRange: number;
  /** LayerNorm epsilon (the med config's layer_norm_eps). */
  readonly layerNormEps: number;
  /** Dropout of the hidden states in training (the med config's hidden_dropout_prob). */
  readonly hiddenDropout: number;
  /** Dropout of the attention probabilities in training (the med config's attention_probs_dropout_prob). */
  readonly attentionDropout: number;
  /** Added to the attention score of a hidden key (med.py's extended mask `(1 - mask) * -10000.0`: `text_attention_mask_fill`). */
  readonly attentionMaskFill: number;
}

/** Whether layer `i` has `crossattention.*` (med.py: `add_cross_attention and fusion_layer <= layer_num`). */
export function hasCrossAttention(c: BertConfig, i: number): boolean {
  return c.encoderWidth > 0 && i >= (c.fusionLayer ?? 0);
}

export function declareBert(store: ParamStore, prefix: string, c: BertConfig): void {
  const linearInit = bertLinear(c.initializerRange);
  store.add(`${prefix}embeddings.word_embeddings.weight`, [c.vocabSize, c.width], bertEmbedding(c.initializerRange));
  store.add(`${prefix}embeddings.position_embeddings.weight`, [c.maxPositions, c.width], bertEmbedding(c.initializerRange));
  declareLayerNorm(store, `${prefix}embeddings.LayerNorm`, c.width);
  for (let i = 0; i < c.layers; i++) {
    const l = `${prefix}encoder.layer.${i}.`;
    declareAttentionBlock(store, `${l}attention`, c.width, c.width, linearInit);
    if (hasCrossAttention(c, i)) declareAttentionBlock(store, `${l}crossattention`, c.width, c.encoderWidth, linearInit);
    declareLinear(store, `${l}intermediate.dense`, c.width, c.intermediate, linearInit);
    declareLinear(store, `${l}output.dense`, c.intermediate, c.width, linearInit);
    declareLayerNorm(store, `${l}output.LayerNorm`, c.width);
  }
}

function declareAttentionBlock(store: ParamStore, name: string, width: number, kvWidth: number, init: LinearInit): void {
  declareLinear(store, `${name}.self.query`, width, width, init);
  declareLinear(store, `${name}.self.key`, kvWidth, width, init);
  declareLinear(store, `${name}.self.value`, kvWidth, width, init);
  declareLinear(store, `${name}.output.dense`, width, width, init);
  declareLayerNorm(store, `${name}.output.LayerNorm`, width);
}

/**
 * BertAttention: multi-head attention of x over kv, its output dense layer, dropout, and the residual LayerNorm. With
 * `noise` (training) the dropouts of `c` apply; with null (evaluation) none.
 */
export function attentionBlock(p: Params, name: string, c: BertConfig, x: tf.Tensor, kv: tf.Tensor, mask: tf.Tensor | null, noise: TrainNoise | null): tf.Tensor {
  const q = linear(p, `${name}.self.query`, x);
  const k = linear(p, `${name}.self.key`, kv);
  const v = linear(p, `${name}.self.value`, kv);
  return attentionOutput(p, name, c, x, multiHeadAttention(q, k, v, c.heads, mask, noise && { noise, p: c.attentionDropout }), noise);
}

/** BertSelfOutput: dense, dropout (training), then LayerNorm with the residual x. */
export function attentionOutput(p: Params, name: string, c: BertConfig, x: tf.Tensor, ctx: tf.Tensor, noise: TrainNoise | null): tf.Tensor {
  return layerNorm(p, `${name}.output.LayerNorm`, dropout(noise, linear(p, `${name}.output.dense`, ctx), c.hiddenDropout).add(x), c.layerNormEps);
}

/** BertEmbeddings: word + position embeddings of `ids` at positions past..past+T-1, LayerNorm, dropout (training). */
export function bertEmbeddings(p: Params, prefix: string, c: BertConfig, ids: tf.Tensor2D, past: number, noise: TrainNoise | null): tf.Tensor {
  const words = tf.gather(p(`${prefix}embeddings.word_embeddings.weight`), ids);
  const pos = p(`${prefix}embeddings.position_embeddings.weight`).slice([past, 0], [ids.shape[1], c.width]);
  return dropout(noise, layerNorm(p, `${prefix}embeddings.LayerNorm`, words.add(pos), c.layerNormEps), c.hiddenDropout);
}

/** BertIntermediate + BertOutput: GELU feed-forward, dropout (training), LayerNorm with the residual x. */
export function feedForward(p: Params, layer: string, c: BertConfig, x: tf.Tensor, noise: TrainNoise | null): tf.Tensor {
  const inter = gelu(linear(p, `${layer}intermediate.dense`, x));
  return layerNorm(p, `${layer}output.LayerNorm`, dropout(noise, linear(p, `${layer}output.dense`, inter), c.hiddenDropout).add(x), c.layerNormEps);
}

/**
 * ids/mask: [B, T] int32 / 0-1. With `image` ([B, N, Dv]) runs the multimodal mode (cross-attention to all image tokens,
 * whose attention mask is all ones as in BLIP/ALBEF, in the layers that have it). Returns the last hidden state [B, T, D].
 * `noise`: a training forward (dropout); null: evaluation.
 */
export function bertForward(p: Params, prefix: string, c: BertConfig, ids: tf.Tensor2D, mask: tf.Tensor2D, image: tf.Tensor3D | null, noise: TrainNoise | null = null): tf.Tensor3D {
  let x = bertEmbeddings(p, prefix, c, ids, 0, noise);
  const selfMask = additiveMaskFrom(mask, c.attentionMaskFill);
  for (let i = 0; i < c.layers; i++) {
    const l = `${prefix}encoder.layer.${i}.`;
    x = attentionBlock(p, `${l}attention`, c, x, x, selfMask, noise);
    if (image && hasCrossAttention(c, i)) x = attentionBlock(p, `${l}crossattention`, c, x, image, null, noise);
    x = feedForward(p, l, c, x, noise);
  }
  return x as tf.Tensor3D;
}
