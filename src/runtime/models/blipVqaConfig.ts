// Reads blip_vqa's model config: the same ViT/BERT keys as blip_retrieval (LAVIS keys plus lavisc's size keys);
// the answer decoder is a BERT of the text encoder's size, as LAVIS builds both from med_config.
import type { VitConfig } from "../nn/vit.js";
import { readBlipRetrievalConfig } from "./blipRetrievalConfig.js";

export interface BlipVqaConfig {
  readonly vit: VitConfig;
  readonly textWidth: number;
  readonly textLayers: number;
  readonly textHeads: number;
  readonly textIntermediate: number;
  readonly textPositions: number;
  /** Question truncation (BlipVQA max_txt_len, 35). */
  readonly maxTxtLen: number;
  readonly vocabFile: string | null;
  readonly vocabSize: number;
  readonly initStd: number | null;
}

/** Returns the config or a list of user-facing problems. */
export function readBlipVqaConfig(raw: Readonly<Record<string, unknown>>): BlipVqaConfig | string[] {
  const c = readBlipRetrievalConfig(raw);
  if (Array.isArray(c)) return c;
  return {
    vit: c.vit,
    textWidth: c.textWidth,
    textLayers: c.textLayers,
    textHeads: c.textHeads,
    textIntermediate: c.textIntermediate,
    textPositions: c.textPositions,
    maxTxtLen: c.maxTxtLen,
    vocabFile: c.vocabFile,
    vocabSize: c.vocabSize,
    initStd: c.initStd,
  };
}
