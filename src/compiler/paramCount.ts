// Parameter arithmetic for the BLIP family and ALBEF classification (timm-style ViT + the BERT "med"
// encoder/decoder), and a rough per-step training memory estimate. Archs not modelled here are "unknown", never guessed.
import { readMedConfig } from "../runtime/models/medConfig.js";

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

const VIT = { base: { width: 768, depth: 12, heads: 12 }, large: { width: 1024, depth: 24, heads: 16 } } as const;

export function sizesOf(cfg: Readonly<Record<string, unknown>>): Sizes {
  const n = (k: string, d: number): number => (typeof cfg[k] === "number" ? (cfg[k] as number) : d);
  const vit = VIT[cfg["vit_type"] === "large" ? "large" : "base"];
  // The text side is the med config LAVIS names (BLIP's BERT-base with [DEC] and [ENC] by default) unless lavisc's size keys say otherwise.
  const med = readMedConfig(cfg, []);
  const textWidth = n("text_width", med.hiddenSize);
  return {
    vitWidth: n("vit_width", vit.width), vitDepth: n("vit_depth", vit.depth), vitHeads: n("vit_heads", vit.heads),
    patch: n("patch_size", 16), mlpRatio: n("vit_mlp_ratio", 4), imageSize: n("image_size", 384),
    textWidth, textLayers: n("text_layers", med.layers), textHeads: n("text_heads", med.heads),
    intermediate: n("text_intermediate", cfg["text_width"] === undefined ? med.intermediate : 4 * textWidth), vocab: n("vocab_size", med.vocabSize),
    textLen: n("max_txt_len", 35), positions: Math.max(med.maxPositions, n("max_txt_len", 35)),
    embedDim: n("embed_dim", 256),
  };
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

export function estimateParams(arch: string, cfg: Readonly<Record<string, unknown>>): ParamEstimate | null {
  const s = sizesOf(cfg);
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
      ({ parts, frozen } = classifierParts(cfg, vit, enc, s.textWidth));
      break;
    case "albef_classification": {
      // ALBEF's text side is med_config_albef.json's (plain BERT, cross-attention from layer 6) unless the config names another.
      const albef = cfg["med_config_path"] === undefined ? { ...cfg, med_config_path: "configs/models/med_config_albef.json" } : cfg;
      const sa = sizesOf(albef);
      const fusion = typeof cfg["fusion_layer"] === "number" ? (cfg["fusion_layer"] as number) : readMedConfig(albef, []).fusionLayer ?? 0;
      ({ parts, frozen } = classifierParts(cfg, vitParams(sa), bertParams(sa, true, fusion), sa.textWidth));
      break;
    }
    default:
      return null;
  }
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  return { total, trainable: total - frozen, parts, sizes: s };
}

/** ViT + multimodal text encoder + cls_head (Linear, ReLU, Linear), with momentum copies of all three when use_distill. */
function classifierParts(cfg: Readonly<Record<string, unknown>>, vit: number, enc: number, width: number): { parts: Record<string, number>; frozen: number } {
  const classes = typeof cfg["num_classes"] === "number" ? (cfg["num_classes"] as number) : 3;
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
  readonly totalBytes: number;
}

/**
 * fp32 training step: weights, gradients and AdamW's two moments, plus stored activations per layer after Korthikanti
 * et al. (2022), `s·b·(34h + 5·a·s)` bytes in fp16, doubled for fp32 (no recomputation; momentum encoders run without grad).
 */
export function estimateTrainMemory(p: ParamEstimate, batch: number, arch: string): MemoryEstimate {
  const s = p.sizes;
  const layer = (seq: number, width: number, heads: number) => 2 * seq * batch * (34 * width + 5 * heads * seq);
  const vitTokens = (s.imageSize / s.patch) ** 2 + 1;
  const textStacks = arch === "blip_vqa" ? 2 : 1;
  // Cross-attention layers store about half a self-attention layer more.
  const activationsBytes = s.vitDepth * layer(vitTokens, s.vitWidth, s.vitHeads) + textStacks * s.textLayers * 1.5 * layer(s.textLen, s.textWidth, s.textHeads);
  const weightsBytes = 4 * p.total, gradientsBytes = 4 * p.trainable, optimizerBytes = 8 * p.trainable;
  return { weightsBytes, gradientsBytes, optimizerBytes, activationsBytes, totalBytes: weightsBytes + gradientsBytes + optimizerBytes + activationsBytes };
}
