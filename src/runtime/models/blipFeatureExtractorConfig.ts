// Reads blip_feature_extractor's model config: LAVIS's keys (vit_type, image_size, embed_dim, max_txt_len) plus
// lavisc's size keys, shared with blip_retrieval (whose reader also validates them).
import { readBlipRetrievalConfig } from "./blipRetrievalConfig.js";
import type { VitConfig } from "../nn/vit.js";

export interface BlipFeatureExtractorConfig {
  readonly vit: VitConfig;
  readonly textWidth: number;
  readonly textLayers: number;
  readonly textHeads: number;
  readonly textIntermediate: number;
  /** LAVIS reads it (default 30) but extract_features does not truncate with it; lavisc neither. */
  readonly maxTxtLen: number;
  readonly embedDim: number;
  readonly vocabFile: string | null;
  readonly vocabSize: number;
  readonly initStd: number | null;
}

export function readBlipFeatureExtractorConfig(raw: Readonly<Record<string, unknown>>): BlipFeatureExtractorConfig | string[] {
  // BlipFeatureExtractor.from_config: embed_dim defaults to 256, max_txt_len to 30.
  const base = readBlipRetrievalConfig({ ...raw, max_txt_len: raw["max_txt_len"] ?? 30 });
  if (Array.isArray(base)) return base;
  const { vit, textWidth, textLayers, textHeads, textIntermediate, maxTxtLen, embedDim, vocabFile, vocabSize, initStd } = base;
  return { vit, textWidth, textLayers, textHeads, textIntermediate, maxTxtLen, embedDim, vocabFile, vocabSize, initStd };
}
