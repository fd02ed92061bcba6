// Reads blip_feature_extractor's model config: BlipEncoders' keys plus embed_dim (stdlib/lavisc_feature_extraction.lv).
import { configReader, readBlipSizes, type BlipSizes } from "./sizing.js";

/** blip_retrieval's encoders without its training keys. `maxTxtLen`: LAVIS reads it, extract_features does not truncate with it. */
export interface BlipFeatureExtractorConfig extends BlipSizes {
  readonly embedDim: number;
}

export function readBlipFeatureExtractorConfig(raw: Readonly<Record<string, unknown>>): BlipFeatureExtractorConfig | string[] {
  const errors: string[] = [];
  const cfg = { ...readBlipSizes(raw, errors), embedDim: configReader(raw, errors).int("embed_dim") };
  return errors.length ? errors : cfg;
}
