// OpenCLIP's towers as LAVIS's clip_models/model.py builds them, with its state-dict names: pre-norm residual
// attention blocks (packed in_proj), a ViT with ln_pre/ln_post and a bias-free `proj`, and a causal text transformer
// pooled at the end-of-text token. Activation is nn.GELU (open_clip's default; OpenAI's checkpoints use QuickGELU,
// irrelevant for models trained here from scratch). CLIP's own constants (the LayerNorm eps, init_parameters' and
// VisualTransformer's stds) are model keys the stdlib fills in (stdlib/lavisc_clip.lv); only the arithmetic is here.
import * as tf from "@tensorflow/tfjs";
import { declareLayerNorm, type Init, type ParamStore, type Params } from "../nn/paramStore.js";
import { ZEROS, plainNormal, torchDefaultBias, torchDefaultWeight, xavierUniform } from "../nn/init.js";
import { gelu, layerNorm } from "../nn/layers.js";
import { multiHeadAttention } from "../nn/attention.js";
import { fusedLinear, fusedLinearAvailable } from "../backend/fusedLinear.js";
import { patchify } from "../nn/vit.js";

export interface ClipTowerConfig {
  readonly width: number;
  readonly layers: number;
  readonly heads: number;
  readonly mlpRatio: number;
  /** Epsilon of the tower's LayerNorms (model key `layer_norm_eps`). */
  readonly normEps: number;
}

/** CLIP's width-scaled normal inits (model keys in parentheses; stdlib/lavisc_clip.lv). */
export interface ClipWidthInit {
  /** e of std = width^e (`init_width_exponent`). */
  readonly widthExponent: number;
}

/** CLIP.init_parameters' constants for the text tower (model keys in parentheses; stdlib/lavisc_clip.lv). */
export interface ClipTextInit extends ClipWidthInit {
  /** `token_embedding_std`. */
  readonly tokenEmbeddingStd: number;
  /** `text_positional_embedding_std`. */
  readonly positionalEmbeddingStd: number;
  /** c of fc_std = (c·width)^e (`init_fc_width_factor`). */
  readonly fcWidthFactor: number;
  /** c of proj_std = width^e · (c·layers)^e (`init_proj_depth_factor`). */
  readonly projDepthFactor: number;
}

/** The weight inits of a residual block's four matrices. */
interface BlockWeightInits {
  readonly inProj: Init;
  readonly outProj: Init;
  readonly fc: Init;
  readonly proj: Init;
}

/**
 * The text tower's blocks: CLIP.init_parameters (lavis/models/clip_models/model.py) re-draws their weights, attention
 * std width^e, output projections scaled by depth, fc (c·width)^e (LAVIS's e = -0.5, c = 2).
 */
function textBlockInits(c: TextTowerConfig): BlockWeightInits {
  const e = c.init.widthExponent;
  const attnStd = c.width ** e;
  const projStd = attnStd * (c.init.projDepthFactor * c.layers) ** e;
  return { inProj: plainNormal(attnStd), outProj: plainNormal(projStd), fc: plainNormal((c.init.fcWidthFactor * c.width) ** e), proj: plainNormal(projStd) };
}

/**
 * The vision tower's blocks: VisualTransformer has no init_parameters, so CLIP.init_parameters leaves them at
 * PyTorch's defaults: nn.MultiheadAttention's xavier_uniform_ in_proj_weight, its out_proj and the MLP's nn.Linear
 * default (U(±1/√fan_in)).
 */
function visionBlockInits(c: ClipTowerConfig): BlockWeightInits {
  const hidden = c.width * c.mlpRatio;
  return {
    inProj: xavierUniform(c.width, 3 * c.width),
    outProj: torchDefaultWeight(c.width, "normal"),
    fc: torchDefaultWeight(c.width, "normal"),
    proj: torchDefaultWeight(hidden, "normal"),
  };
}

/**
 * Residual blocks of either tower. Biases in both: nn.MultiheadAttention zeroes in_proj_bias and out_proj.bias; c_fc
 * and c_proj keep nn.Linear's default U(±1/√fan_in) (init_parameters draws weights only).
 */
function declareTransformer(store: ParamStore, prefix: string, c: ClipTowerConfig, w: BlockWeightInits): void {
  const hidden = c.width * c.mlpRatio;
  for (let i = 0; i < c.layers; i++) {
    const b = `${prefix}transformer.resblocks.${i}.`;
    declareLayerNorm(store, `${b}ln_1`, c.width);
    store.add(`${b}attn.in_proj_weight`, [3 * c.width, c.width], w.inProj);
    store.add(`${b}attn.in_proj_bias`, [3 * c.width], ZEROS);
    store.add(`${b}attn.out_proj.weight`, [c.width, c.width], w.outProj);
    store.add(`${b}attn.out_proj.bias`, [c.width], ZEROS);
    declareLayerNorm(store, `${b}ln_2`, c.width);
    store.add(`${b}mlp.c_fc.weight`, [hidden, c.width], w.fc);
    store.add(`${b}mlp.c_fc.bias`, [hidden], torchDefaultBias(c.width));
    store.add(`${b}mlp.c_proj.weight`, [c.width, hidden], w.proj);
    store.add(`${b}mlp.c_proj.bias`, [c.width], torchDefaultBias(hidden));
  }
}

/** x W^T + b over the last axis, W in PyTorch layout [out, in]. */
function affine(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (fusedLinearAvailable(x, w, b)) return fusedLinear(x, w, b);
  const inDim = x.shape[x.shape.length - 1]!;
  const y = tf.matMul(x.reshape([-1, inDim]) as tf.Tensor2D, w as tf.Tensor2D, false, true).add(b);
  return y.reshape([...x.shape.slice(0, -1), w.shape[0]!]);
}

/** Runs the residual blocks on [B, T, D]; `causal` masks future positions (the text tower's attn_mask). */
function transformerForward(p: Params, prefix: string, c: ClipTowerConfig, input: tf.Tensor, causal: boolean): tf.Tensor {
  const t = input.shape[1]!;
  let mask: tf.Tensor | null = null;
  if (causal) {
    const m = new Float32Array(t * t);
    for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) m[i * t + j] = -1e9;
    mask = tf.tensor4d(m, [1, 1, t, t]);
  }
  let x = input;
  for (let i = 0; i < c.layers; i++) {
    const b = `${prefix}transformer.resblocks.${i}.`;
    const h = layerNorm(p, `${b}ln_1`, x, c.normEps);
    const [q, k, v] = tf.split(affine(h, p(`${b}attn.in_proj_weight`), p(`${b}attn.in_proj_bias`)), 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const ctx = multiHeadAttention(q, k, v, c.heads, mask);
    x = x.add(affine(ctx, p(`${b}attn.out_proj.weight`), p(`${b}attn.out_proj.bias`)));
    const h2 = layerNorm(p, `${b}ln_2`, x, c.normEps);
    const inner = gelu(affine(h2, p(`${b}mlp.c_fc.weight`), p(`${b}mlp.c_fc.bias`)));
    x = x.add(affine(inner, p(`${b}mlp.c_proj.weight`), p(`${b}mlp.c_proj.bias`)));
  }
  return x;
}

export interface VisionTowerConfig extends ClipTowerConfig {
  readonly imageSize: number;
  readonly patchSize: number;
  readonly outputDim: number;
  readonly init: ClipWidthInit;
}

export function declareVisionTower(store: ParamStore, prefix: string, c: VisionTowerConfig): void {
  const n = (c.imageSize / c.patchSize) ** 2;
  const scale = c.width ** c.init.widthExponent;
  // conv1 has no bias in CLIP and keeps nn.Conv2d's default init; applied as a matmul over flattened patches.
  store.add(`${prefix}conv1.weight`, [c.width, 3, c.patchSize, c.patchSize], torchDefaultWeight(3 * c.patchSize * c.patchSize, "normal"));
  // VisualTransformer.__init__: `scale * torch.randn(...)`, scale = width^e.
  store.add(`${prefix}class_embedding`, [c.width], plainNormal(scale));
  store.add(`${prefix}positional_embedding`, [n + 1, c.width], plainNormal(scale));
  declareLayerNorm(store, `${prefix}ln_pre`, c.width);
  declareTransformer(store, prefix, c, visionBlockInits(c));
  declareLayerNorm(store, `${prefix}ln_post`, c.width);
  store.add(`${prefix}proj`, [c.width, c.outputDim], plainNormal(scale));
}

/** [B, H, W, 3] → [B, outputDim] (not normalised). */
export function visionTowerForward(p: Params, prefix: string, c: VisionTowerConfig, images: tf.Tensor4D): tf.Tensor2D {
  const b = images.shape[0];
  const patches = patchify(images, c.patchSize);
  const w = p(`${prefix}conv1.weight`).reshape([c.width, -1]) as tf.Tensor2D;
  let x: tf.Tensor = tf.matMul(patches.reshape([-1, patches.shape[2]]) as tf.Tensor2D, w, false, true).reshape([b, -1, c.width]);
  const cls = p(`${prefix}class_embedding`).reshape([1, 1, c.width]).tile([b, 1, 1]);
  x = tf.concat([cls, x], 1).add(p(`${prefix}positional_embedding`));
  x = layerNorm(p, `${prefix}ln_pre`, x, c.normEps);
  x = transformerForward(p, prefix, c, x, false);
  const pooled = layerNorm(p, `${prefix}ln_post`, x.slice([0, 0, 0], [-1, 1, -1]).squeeze([1]), c.normEps);
  return tf.matMul(pooled as tf.Tensor2D, p(`${prefix}proj`) as tf.Tensor2D);
}

export interface TextTowerConfig extends ClipTowerConfig {
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly outputDim: number;
  readonly init: ClipTextInit;
}

/** The text tower's parameters live at the top level of CLIP's state dict (token_embedding, transformer, ln_final …). */
export function declareTextTower(store: ParamStore, c: TextTowerConfig): void {
  // CLIP.init_parameters' stds.
  store.add("token_embedding.weight", [c.vocabSize, c.width], plainNormal(c.init.tokenEmbeddingStd));
  store.add("positional_embedding", [c.contextLength, c.width], plainNormal(c.init.positionalEmbeddingStd));
  declareTransformer(store, "", c, textBlockInits(c));
  declareLayerNorm(store, "ln_final", c.width);
  store.add("text_projection", [c.width, c.outputDim], plainNormal(c.width ** c.init.widthExponent));
}

/** ids [B, T] → [B, outputDim] (not normalised), taking the features at each row's end-of-text position. */
export function textTowerForward(p: Params, c: TextTowerConfig, ids: tf.Tensor2D, eotPositions: readonly number[]): tf.Tensor2D {
  const [b, t] = ids.shape;
  let x: tf.Tensor = tf.gather(p("token_embedding.weight"), ids).add(p("positional_embedding").slice([0, 0], [t, c.width]));
  x = transformerForward(p, "", c, x, true);
  x = layerNorm(p, "ln_final", x, c.normEps);
  const rows = tf.tensor1d(eotPositions.map((pos, i) => i * t + pos), "int32");
  const pooled = tf.gather(x.reshape([b * t, c.width]), rows);
  return tf.matMul(pooled as tf.Tensor2D, p("text_projection") as tf.Tensor2D);
}
