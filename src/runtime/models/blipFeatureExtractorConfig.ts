// Reads blip_feature_extractor's model config: LAVIS's keys (vit_type, image_size, embed_dim, max_txt_len) plus
// lavisc's size keys, shared with blip_retrieval (whose reader also validates them).
import { readBlipRetrievalConfig, type BlipRetrievalConfig } from "./blipRetrievalConfig.js";
import type { BlipSizes } from "./sizing.js";

/** blip_retrieval's encoders without its training keys. `maxTxtLen`: LAVIS reads it (default 30), extract_features does not truncate with it. */
export type BlipFeatureExtractorConfig = BlipSizes & Pick<BlipRetrievalConfig, "embedDim">;

export function readBlipFeatureExtractorConfig(raw: Readonly<Record<string, unknown>>): BlipFeatureExtractorConfig | string[] {
  // BlipFeatureExtractor.from_config: embed_dim defaults to 256, max_txt_len to 30.
  return readBlipRetrievalConfig({ ...raw, max_txt_len: raw["max_txt_len"] ?? 30 });
}
