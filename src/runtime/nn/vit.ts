// Vision Transformer as timm/BLIP (pre-norm blocks, cls token, learned position embedding, LayerNorm eps `normEps`),
// with parameter names of BLIP's `visual_encoder`, initialised as lavis/models/vit.py VisionTransformer does. A
// training forward (`noise`) applies timm's drop-path (stochastic depth) to each block's attention and MLP branches, at
// rates rising linearly to `dropPath` over the blocks; LAVIS's ViT has no other dropout (drop_rate and attn_drop_rate
// are 0).
import * as tf from "@tensorflow/tfjs";
import { declareLayerNorm, declareLinear, type ParamStore, type Params } from "./paramStore.js";
import { timmLinear, timmTruncNormal, torchDefaultBias, torchDefaultWeight } from "./init.js";
import { gelu, layerNorm, linear } from "./layers.js";
import { multiHeadAttention } from "./attention.js";
import { dropPath, dropPathRates, type TrainNoise } from "./dropout.js";

export interface VitConfig {
  readonly imageSize: number;
  readonly patchSize: number;
  readonly width: number;
  readonly depth: number;
  readonly heads: number;
  readonly mlpRatio: number;
  /** Std of timm's trunc_normal_ inits (pos_embed, cls_token, Linear weights; model key `vit_init_std`). */
  readonly initStd: number;
  /** LayerNorm epsilon (model key `vit_norm_eps`: `vit_layer_norm_epsilon`, or VisionTransformer's 1e-6). */
  readonly normEps: number;
  /** Drop-path rate of the last block in training (the model config's vit_drop_path); 0 at the first block. */
  readonly dropPath: number;
}

export function declareVit(store: ParamStore, prefix: string, c: VitConfig): void {
  const n = (c.imageSize / c.patchSize) ** 2;
  // Conv weight in PyTorch layout [D, 3, p, p]; applied as a matmul over flattened patches (no conv gradient needed).
  // timm's PatchEmbed conv is not a Linear: `_init_weights` leaves it at nn.Conv2d's default.
  const patchFanIn = 3 * c.patchSize * c.patchSize;
  store.add(`${prefix}patch_embed.proj.weight`, [c.width, 3, c.patchSize, c.patchSize], torchDefaultWeight(patchFanIn, "truncNormal"));
  store.add(`${prefix}patch_embed.proj.bias`, [c.width], torchDefaultBias(patchFanIn));
  store.add(`${prefix}cls_token`, [1, 1, c.width], timmTruncNormal(c.initStd));
  store.add(`${prefix}pos_embed`, [1, n + 1, c.width], timmTruncNormal(c.initStd));
  const linearInit = timmLinear(c.initStd);
  for (let i = 0; i < c.depth; i++) {
    const b = `${prefix}blocks.${i}.`;
    declareLayerNorm(store, `${b}norm1`, c.width);
    declareLinear(store, `${b}attn.qkv`, c.width, 3 * c.width, linearInit);
    declareLinear(store, `${b}attn.proj`, c.width, c.width, linearInit);
    declareLayerNorm(store, `${b}norm2`, c.width);
    declareLinear(store, `${b}mlp.fc1`, c.width, c.width * c.mlpRatio, linearInit);
    declareLinear(store, `${b}mlp.fc2`, c.width * c.mlpRatio, c.width, linearInit);
  }
  declareLayerNorm(store, `${prefix}norm`, c.width);
}

/** [B, H, W, 3] → [B, N, 3·p·p] with each patch flattened in (channel, row, col) order to match the conv weight. */
export function patchify(images: tf.Tensor4D, patch: number): tf.Tensor3D {
  const [b, h, w] = images.shape as [number, number, number, number];
  const gh = h / patch;
  const gw = w / patch;
  // Two 5-D transposes instead of one 6-D one (wasm's Transpose handles rank ≤ 5 fastest).
  const rows = images.reshape([b * gh, patch, gw, patch, 3]).transpose([0, 2, 4, 1, 3]); // [b*gh, gw, 3, p, p]
  return rows.reshape([b, gh * gw, 3 * patch * patch]) as tf.Tensor3D;
}

/**
 * Returns the token embeddings [B, 1+N, D] after the final norm (BLIP's visual_encoder.forward_features). `noise`: a
 * training forward (drop-path); null: evaluation.
 */
export function vitForward(p: Params, prefix: string, c: VitConfig, images: tf.Tensor4D, noise: TrainNoise | null = null): tf.Tensor3D {
  const b = images.shape[0];
  const patches = patchify(images, c.patchSize);
  const w = p(`${prefix}patch_embed.proj.weight`).reshape([c.width, -1]) as tf.Tensor2D;
  let x: tf.Tensor = tf
    .matMul(patches.reshape([-1, patches.shape[2]]) as tf.Tensor2D, w, false, true)
    .add(p(`${prefix}patch_embed.proj.bias`))
    .reshape([b, -1, c.width]);
  const cls = p(`${prefix}cls_token`).tile([b, 1, 1]);
  x = tf.concat([cls, x], 1).add(p(`${prefix}pos_embed`));
  const rates = dropPathRates(c.dropPath, c.depth);
  for (let i = 0; i < c.depth; i++) {
    const blk = `${prefix}blocks.${i}.`;
    const h = layerNorm(p, `${blk}norm1`, x, c.normEps);
    const qkv = linear(p, `${blk}attn.qkv`, h);
    const [q, k, v] = tf.split(qkv, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    x = x.add(dropPath(noise, linear(p, `${blk}attn.proj`, multiHeadAttention(q, k, v, c.heads, null)), rates[i]!));
    const h2 = layerNorm(p, `${blk}norm2`, x, c.normEps);
    x = x.add(dropPath(noise, linear(p, `${blk}mlp.fc2`, gelu(linear(p, `${blk}mlp.fc1`, h2))), rates[i]!));
  }
  return layerNorm(p, `${prefix}norm`, x, c.normEps) as tf.Tensor3D;
}
