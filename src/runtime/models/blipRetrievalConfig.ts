// Reads blip_retrieval's model config (LAVIS keys plus explicit size keys for small CPU models).
import type { VitConfig } from "../nn/vit.js";
import { numberReader, type BlipSizes } from "./sizing.js";
import { readMedConfig } from "./medConfig.js";

export interface BlipRetrievalConfig extends BlipSizes {
  readonly embedDim: number;
  readonly queueSize: number;
  readonly momentum: number;
  readonly alpha: number;
}

const VIT_TYPES: Record<string, { width: number; depth: number; heads: number }> = {
  base: { width: 768, depth: 12, heads: 12 },
  large: { width: 1024, depth: 24, heads: 16 },
};

/** Returns the config or a list of user-facing problems. */
export function readBlipRetrievalConfig(raw: Readonly<Record<string, unknown>>): BlipRetrievalConfig | string[] {
  const errors: string[] = [];
  const num = numberReader(raw, errors);
  const vitType = typeof raw["vit_type"] === "string" ? (raw["vit_type"] as string) : "base";
  const base = VIT_TYPES[vitType] ?? VIT_TYPES["base"]!;
  if (!VIT_TYPES[vitType] && raw["vit_width"] === undefined) errors.push(`model.vit_type "${vitType}" is unknown (base or large), and vit_width is not given`);
  const imageSize = num("image_size", 384);
  const patchSize = num("patch_size", 16);
  const vit: VitConfig = {
    imageSize,
    patchSize,
    width: num("vit_width", base.width),
    depth: num("vit_depth", base.depth),
    heads: num("vit_heads", base.heads),
    mlpRatio: num("vit_mlp_ratio", 4),
  };
  // BERT sizes: the med config LAVIS names, unless lavisc's explicit size keys say otherwise.
  const med = readMedConfig(raw, errors);
  const textWidth = num("text_width", med.hiddenSize);
  const textHeads = num("text_heads", med.heads);
  const cfg: BlipRetrievalConfig = {
    vit,
    textWidth,
    textLayers: num("text_layers", med.layers),
    textHeads,
    textIntermediate: num("text_intermediate", raw["text_width"] === undefined ? med.intermediate : textWidth * 4),
    textPositions: med.maxPositions,
    maxTxtLen: num("max_txt_len", 35, true, 3),
    embedDim: num("embed_dim", 256),
    queueSize: num("queue_size", 57600),
    momentum: num("momentum", 0.995, false),
    alpha: num("alpha", 0.4, false),
    vocabFile: typeof raw["vocab_file"] === "string" ? (raw["vocab_file"] as string) : null,
    vocabSize: num("vocab_size", med.vocabSize),
    initStd: raw["init_std"] === undefined || raw["init_std"] === null ? null : num("init_std", 0.02, false),
  };
  if (imageSize % patchSize !== 0) errors.push(`model.image_size ${imageSize} is not a multiple of patch_size ${patchSize}`);
  if (vit.width % vit.heads !== 0) errors.push(`model.vit_width ${vit.width} is not divisible by vit_heads ${vit.heads}`);
  if (textWidth % textHeads !== 0) errors.push(`model.text_width ${textWidth} is not divisible by text_heads ${textHeads}`);
  if (cfg.momentum > 1) errors.push(`model.momentum must be ≤ 1, got ${cfg.momentum}`);
  if (cfg.alpha > 1) errors.push(`model.alpha must be ≤ 1, got ${cfg.alpha}`);
  return errors.length ? errors : cfg;
}
