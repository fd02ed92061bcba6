// BLIP's answer decoder (med.py BertLMHeadModel, LAVIS XBertLMHeadDecoder): a BERT with causal self-attention and
// cross-attention to encoder states (here the question encoding), then the MLM head (`cls.predictions`) whose output
// projection is tied to the word embeddings, as HF ties them.
import * as tf from "@tensorflow/tfjs";
import { declareLayerNorm, declareLinear, type ParamStore, type Params } from "./paramStore.js";
import { gelu, layerNorm, linear } from "./layers.js";
import { splitHeads } from "./attention.js";
import type { BertConfig } from "./bertEncoder.js";

const EPS = 1e-12;
/** med.py's CrossEntropyLoss(label_smoothing=0.1) in BertLMHeadModel, used for training and for rank scores. */
export const LABEL_SMOOTHING = 0.1;

/** Parameters under `<prefix>bert.` and `<prefix>cls.predictions.` (c.encoderWidth = width of the states attended). */
export function declareAnswerDecoder(store: ParamStore, prefix: string, c: BertConfig): void {
  const b = `${prefix}bert.`;
  store.add(`${b}embeddings.word_embeddings.weight`, [c.vocabSize, c.width], { kind: "normal", std: 0.02 });
  store.add(`${b}embeddings.position_embeddings.weight`, [c.maxPositions, c.width], { kind: "normal", std: 0.02 });
  declareLayerNorm(store, `${b}embeddings.LayerNorm`, c.width);
  for (let i = 0; i < c.layers; i++) {
    const l = `${b}encoder.layer.${i}.`;
    declareBlock(store, `${l}attention`, c.width, c.width);
    declareBlock(store, `${l}crossattention`, c.width, c.encoderWidth);
    declareLinear(store, `${l}intermediate.dense`, c.width, c.intermediate);
    declareLinear(store, `${l}output.dense`, c.intermediate, c.width);
    declareLayerNorm(store, `${l}output.LayerNorm`, c.width);
  }
  declareLinear(store, `${prefix}cls.predictions.transform.dense`, c.width, c.width);
  declareLayerNorm(store, `${prefix}cls.predictions.transform.LayerNorm`, c.width);
  store.add(`${prefix}cls.predictions.bias`, [c.vocabSize], { kind: "zeros" });
}

/** State-dict names that alias other tensors (HF writes the tied decoder weight and bias under their own names). */
export function tiedAliases(prefix: string): Record<string, string> {
  return {
    [`${prefix}cls.predictions.decoder.weight`]: `${prefix}bert.embeddings.word_embeddings.weight`,
    [`${prefix}cls.predictions.decoder.bias`]: `${prefix}cls.predictions.bias`,
  };
}

function declareBlock(store: ParamStore, name: string, width: number, kvWidth: number): void {
  declareLinear(store, `${name}.self.query`, width, width);
  declareLinear(store, `${name}.self.key`, kvWidth, width);
  declareLinear(store, `${name}.self.value`, kvWidth, width);
  declareLinear(store, `${name}.output.dense`, width, width);
  declareLayerNorm(store, `${name}.output.LayerNorm`, width);
}

/** Attention with an additive mask broadcastable to [B, 1, Tq, Tk]. */
function block(p: Params, name: string, heads: number, x: tf.Tensor, kv: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  const [b, tq, d] = x.shape as [number, number, number];
  const qh = splitHeads(linear(p, `${name}.self.query`, x), heads);
  const kh = splitHeads(linear(p, `${name}.self.key`, kv), heads);
  const vh = splitHeads(linear(p, `${name}.self.value`, kv), heads);
  const scores = tf.matMul(qh, kh, false, true).mul(1 / Math.sqrt(d / heads)).add(mask);
  const ctx = tf.matMul(tf.softmax(scores, -1) as tf.Tensor4D, vh).transpose([0, 2, 1, 3]).reshape([b, tq, d]);
  return layerNorm(p, `${name}.output.LayerNorm`, linear(p, `${name}.output.dense`, ctx).add(x), EPS);
}

/**
 * ids/mask [B, T]; states [B, S, encoderWidth] with 0/1 mask [B, S]. Returns the logits [B, T, vocab].
 * HF's decoder mask: causal × padding, as (1 - m) · -10000.
 */
export function answerDecoderLogits(p: Params, prefix: string, c: BertConfig, ids: tf.Tensor2D, mask: tf.Tensor2D, states: tf.Tensor3D, statesMask: tf.Tensor2D): tf.Tensor3D {
  const [bsz, t] = ids.shape;
  const b = `${prefix}bert.`;
  const words = tf.gather(p(`${b}embeddings.word_embeddings.weight`), ids);
  const pos = p(`${b}embeddings.position_embeddings.weight`).slice([0, 0], [t, c.width]);
  let x = layerNorm(p, `${b}embeddings.LayerNorm`, words.add(pos), EPS);
  const causal = tf.linalg.bandPart(tf.ones([t, t]), -1, 0);
  const selfMask = tf.scalar(1).sub(causal.reshape([1, 1, t, t]).mul(mask.toFloat().reshape([bsz, 1, 1, t]))).mul(-10000);
  const crossMask = tf.scalar(1).sub(statesMask.toFloat()).mul(-10000).reshape([bsz, 1, 1, -1]);
  for (let i = 0; i < c.layers; i++) {
    const l = `${b}encoder.layer.${i}.`;
    x = block(p, `${l}attention`, c.heads, x, x, selfMask);
    x = block(p, `${l}crossattention`, c.heads, x, states, crossMask);
    const inter = gelu(linear(p, `${l}intermediate.dense`, x));
    x = layerNorm(p, `${l}output.LayerNorm`, linear(p, `${l}output.dense`, inter).add(x), EPS);
  }
  const h = layerNorm(p, `${prefix}cls.predictions.transform.LayerNorm`, gelu(linear(p, `${prefix}cls.predictions.transform.dense`, x)), EPS);
  const vocabW = p(`${b}embeddings.word_embeddings.weight`) as tf.Tensor2D;
  const logits = tf.matMul(h.reshape([-1, c.width]) as tf.Tensor2D, vocabW, false, true).add(p(`${prefix}cls.predictions.bias`));
  return logits.reshape([bsz, t, c.vocabSize]) as tf.Tensor3D;
}

/**
 * BertLMHeadModel's loss with reduction "none": next-token cross-entropy with label smoothing 0.1, padding positions
 * (mask 0) ignored, summed per sequence → [B].
 */
export function sequenceLoss(logits: tf.Tensor3D, ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor1D {
  const [bsz, t, v] = logits.shape;
  const logp = tf.logSoftmax(logits.slice([0, 0, 0], [bsz, t - 1, v]), -1);
  const targets = ids.slice([0, 1], [bsz, t - 1]);
  const nll = tf.oneHot(targets.reshape([-1]) as tf.Tensor1D, v).reshape([bsz, t - 1, v]).mul(logp).sum(-1).neg();
  const smooth = logp.mean(-1).neg();
  const perToken = nll.mul(1 - LABEL_SMOOTHING).add(smooth.mul(LABEL_SMOOTHING));
  return perToken.mul(mask.slice([0, 1], [bsz, t - 1]).toFloat()).sum(1) as tf.Tensor1D;
}
