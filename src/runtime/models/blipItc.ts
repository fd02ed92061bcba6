// The unimodal half every BLIP ITC model shares (LAVIS BlipRetrieval, BlipFeatureExtractor, BlipPretrain): the ViT
// `visual_encoder`, the BERT `text_encoder` (with cross-attention to the image tokens), and the `vision_proj` /
// `text_proj` projections whose l2-normalised [CLS] outputs are the ITC features.
import type * as tf from "@tensorflow/tfjs";
import { declareLinear, type ParamStore, type Params } from "../nn/paramStore.js";
import { declareVit, vitForward, type VitConfig } from "../nn/vit.js";
import { torchLinear } from "../nn/init.js";
import { declareBert, bertForward, type BertConfig } from "../nn/bertEncoder.js";
import { l2normalize, linear } from "../nn/layers.js";
import type { TrainNoise } from "../nn/dropout.js";

export interface BlipItcSizes {
  readonly vit: VitConfig;
  readonly textWidth: number;
  readonly embedDim: number;
}

/**
 * Declares visual_encoder.*, text_encoder.*, vision_proj, text_proj (in this order: it fixes the seeded init). The
 * projections are plain nn.Linear in LAVIS (blip_retrieval.py, blip_feature_extractor.py): PyTorch's default init.
 */
export function declareBlipItc(store: ParamStore, cfg: BlipItcSizes, bert: BertConfig): void {
  declareVit(store, "visual_encoder.", cfg.vit);
  declareBert(store, "text_encoder.", bert);
  declareLinear(store, "vision_proj", cfg.vit.width, cfg.embedDim, torchLinear(cfg.vit.width));
  declareLinear(store, "text_proj", cfg.textWidth, cfg.embedDim, torchLinear(cfg.textWidth));
}

/** The [CLS] row of [B, T, D] hidden states: [B, D]. */
export function clsOf(hidden: tf.Tensor3D): tf.Tensor2D {
  return hidden.slice([0, 0, 0], [-1, 1, -1]).squeeze([1]) as tf.Tensor2D;
}

/**
 * ViT tokens `embeds` [B, 1+N, Dv] and the ITC feature `feat` = normalize(vision_proj(CLS)) [B, E]. `suffix` selects
 * the momentum copies (`_m`). `noise`: a training forward (the momentum copies' included); null: evaluation.
 */
export function blipImageFeatures(p: Params, suffix: string, vit: VitConfig, image: tf.Tensor4D, noise: TrainNoise | null = null): { embeds: tf.Tensor3D; feat: tf.Tensor2D } {
  const embeds = vitForward(p, `visual_encoder${suffix}.`, vit, image, noise);
  return { embeds, feat: l2normalize(linear(p, `vision_proj${suffix}`, clsOf(embeds))) as tf.Tensor2D };
}

/** Text-only BERT ([CLS] first): the [CLS] hidden state `cls` [B, H] and `feat` = normalize(text_proj(CLS)) [B, E]. */
export function blipTextFeatures(p: Params, suffix: string, bert: BertConfig, ids: tf.Tensor2D, mask: tf.Tensor2D, noise: TrainNoise | null = null): { cls: tf.Tensor2D; feat: tf.Tensor2D } {
  const cls = clsOf(bertForward(p, `text_encoder${suffix}.`, bert, ids, mask, null, noise));
  return { cls, feat: l2normalize(linear(p, `text_proj${suffix}`, cls)) as tf.Tensor2D };
}

/** The image-grounded text encoder's hidden states: ids with [ENC] first, cross-attending `imageEmbeds`. */
export function blipMultimodal(p: Params, bert: BertConfig, ids: tf.Tensor2D, mask: tf.Tensor2D, imageEmbeds: tf.Tensor3D, noise: TrainNoise | null = null): tf.Tensor3D {
  return bertForward(p, "text_encoder.", bert, ids, mask, imageEmbeds, noise);
}
