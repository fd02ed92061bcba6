// Parameter arithmetic for the BLIP family and ALBEF classification (timm-style ViT + the BERT "med"
// encoder/decoder) and CLIP (clipParamCount.ts), and a rough per-step training memory estimate. The sizes are read from the resolved model config,
// where the stdlib fills them in (stdlib/encoders.lv: ViT sizes by vit_type, BERT sizes from the med config); archs not
// modelled here, or a config without those keys, are "unknown", never guessed.

export interface Sizes {
  readonly vitWidth: number; readonly vitDepth: number; readonly vitHeads: number; readonly patch: number; readonly mlpRatio: number; readonly imageSize: number;
  readonly textWidth: number; readonly textLayers: number; readonly textHeads: number; readonly intermediate: number; readonly vocab: number; readonly textLen: number; readonly positions: number;
  readonly embedDim: number;
}

export interface ParamEstimate {
  readonly total: number;
  readonly trainable: number;
  /** Parameter count per component (momentum copies included in total, not in trainable). */
  readonly parts: Readonly<Record<string, number>>;
  readonly sizes: Sizes;
}

import { estimateClipParams } from "./clipParamCount.js";

type Cfg = Readonly<Record<string, unknown>>;

/** The sizes of a resolved BLIP-family model config (`BlipEncoders`' keys), or null when one is absent. */
export function sizesOf(cfg: Cfg): Sizes | null {
  const n = (k: string): number => (typeof cfg[k] === "number" ? (cfg[k] as number) : Number.NaN);
  const s: Sizes = {
    vitWidth: n("vit_width"), vitDepth: n("vit_depth"), vitHeads: n("vit_heads"), patch: n("patch_size"), mlpRatio: n("vit_mlp_ratio"), imageSize: n("image_size"),
    textWidth: n("text_width"), textLayers: n("text_layers"), textHeads: n("text_heads"), intermediate: n("text_intermediate"), vocab: n("vocab_size"),
    textLen: n("max_txt_len"), positions: Math.max(n("text_positions"), n("max_txt_len")),
    // Only the archs with ITC projections read embed_dim.
    embedDim: typeof cfg["embed_dim"] === "number" ? (cfg["embed_dim"] as number) : 0,
  };
  return Object.values(s).some((v) => Number.isNaN(v)) ? null : s;
}

export function vitParams(s: Sizes): number {
  const D = s.vitWidth, tokens = (s.imageSize / s.patch) ** 2 + 1, M = s.mlpRatio * D;
  const block = 2 * D + (3 * D * D + 3 * D) + (D * D + D) + 2 * D + (D * M + M) + (M * D + D);
  return 3 * s.patch * s.patch * D + D + D + tokens * D + s.vitDepth * block + 2 * D;
}

/**
 * BLIP's BertModel without pooler; `cross` adds cross-attention to the image (width = ViT width) in every layer from
 * `fusionLayer` on (0 for BLIP: every layer; ALBEF's `fusion_layer`).
 */
export function bertParams(s: Sizes, cross: boolean, fusionLayer = 0): number {
  const H = s.textWidth, I = s.intermediate;
  const embeddings = s.vocab * H + s.positions * H + 2 * H;
  const selfAttn = 4 * (H * H + H) + 2 * H;
  const crossAttn = cross ? 2 * (H * H + H) + 2 * (s.vitWidth * H + H) + 2 * H : 0;
  const ffn = H * I + I + I * H + H + 2 * H;
  return embeddings + s.textLayers * (selfAttn + ffn) + Math.max(0, s.textLayers - fusionLayer) * crossAttn;
}

/** The LM head on top of a decoder; its output matrix is tied to the word embeddings, only its bias is new. */
export function lmHeadParams(s: Sizes): number {
  const H = s.textWidth;
  return H * H + H + 2 * H + s.vocab;
}

export function estimateParams(arch: string, cfg: Cfg): ParamEstimate | null {
  if (arch === "clip") return estimateClipParams(cfg);
  const s = sizesOf(cfg);
  if (!s) return null;
  const vit = vitParams(s), enc = bertParams(s, true), E = s.embedDim;
  const projs = s.vitWidth * E + E + s.textWidth * E + E;
  const itm = 2 * s.textWidth + 2;
  let parts: Record<string, number>;
  let frozen = 0;
  switch (arch) {
    case "blip_retrieval": {
      parts = { visual_encoder: vit, text_encoder: enc, projections: projs, itm_head: itm, temp: 1, momentum_encoders: vit + enc + projs };
      frozen = parts["momentum_encoders"]!;
      break;
    }
    case "blip_caption":
      parts = { visual_encoder: vit, text_decoder: enc + lmHeadParams(s) };
      break;
    case "blip_vqa":
      parts = { visual_encoder: vit, text_encoder: enc, text_decoder: enc + lmHeadParams(s) };
      break;
    case "blip_feature_extractor":
      parts = { visual_encoder: vit, text_encoder: enc, projections: projs, temp: 1 };
      break;
    case "blip_image_text_matching":
      parts = { visual_encoder: vit, text_encoder: enc, projections: projs, itm_head: itm };
      break;
    case "blip_classification":
    case "albef_classification": {
      // ALBEF's text layers below fusion_layer are text-only (no cross-attention).
      const fusion = typeof cfg["fusion_layer"] === "number" ? (cfg["fusion_layer"] as number) : 0;
      const head = classifierParts(cfg, vit, arch === "albef_classification" ? bertParams(s, true, fusion) : enc, s.textWidth);
      if (!head) return null;
      ({ parts, frozen } = head);
      break;
    }
    default:
      return null;
  }
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  return { total, trainable: total - frozen, parts, sizes: s };
}

/** ViT + multimodal text encoder + cls_head (Linear, ReLU, Linear), with momentum copies of all three when use_distill. */
function classifierParts(cfg: Cfg, vit: number, enc: number, width: number): { parts: Record<string, number>; frozen: number } | null {
  if (typeof cfg["num_classes"] !== "number") return null;
  const classes = cfg["num_classes"];
  const head = width * width + width + width * classes + classes;
  const parts: Record<string, number> = { visual_encoder: vit, text_encoder: enc, cls_head: head };
  if (cfg["use_distill"] !== true) return { parts, frozen: 0 };
  parts["momentum_encoders"] = vit + enc + head;
  return { parts, frozen: parts["momentum_encoders"] };
}

export interface MemoryEstimate {
  readonly weightsBytes: number;
  readonly gradientsBytes: number;
  readonly optimizerBytes: number;
  readonly activationsBytes: number;
  /** The momentum feature queues (image and text features and their indexes), float32. */
  readonly queuesBytes: number;
  readonly totalBytes: number;
}

/** Elements of blip_retrieval's momentum queues: image and text features of embed_dim each, and one index, per slot. */
export function queueElements(arch: string, cfg: Cfg, sizes: Sizes): number {
  return typeof cfg["queue_size"] === "number" && arch === "blip_retrieval" ? (2 * sizes.embedDim + 1) * cfg["queue_size"] : 0;
}

/**
 * fp32 training step: weights, gradients and AdamW's two moments, plus stored activations per layer after Korthikanti
 * et al. (2022), `s·b·(34h + 5·a·s)` bytes in fp16, doubled for fp32 (no recomputation; momentum encoders run without grad),
 * and the momentum queues.
 */
export function estimateTrainMemory(p: ParamEstimate, batch: number, arch: string, cfg: Cfg): MemoryEstimate {
  const s = p.sizes;
  const layer = (seq: number, width: number, heads: number) => 2 * seq * batch * (34 * width + 5 * heads * seq);
  const vitTokens = (s.imageSize / s.patch) ** 2 + 1;
  const textStacks = arch === "blip_vqa" ? 2 : 1;
  // Cross-attention layers store about half a self-attention layer more (CLIP's text tower has none).
  const cross = arch === "clip" ? 1 : 1.5;
  const activationsBytes = s.vitDepth * layer(vitTokens, s.vitWidth, s.vitHeads) + textStacks * s.textLayers * cross * layer(s.textLen, s.textWidth, s.textHeads);
  const weightsBytes = 4 * p.total, gradientsBytes = 4 * p.trainable, optimizerBytes = 8 * p.trainable;
  const queuesBytes = 4 * queueElements(arch, cfg, s);
  return { weightsBytes, gradientsBytes, optimizerBytes, activationsBytes, queuesBytes, totalBytes: weightsBytes + gradientsBytes + optimizerBytes + activationsBytes + queuesBytes };
}
