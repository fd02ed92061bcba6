// Reads blip_feature_extractor's model config: BlipEncoders' keys plus embed_dim and init_temperature
// (stdlib/lavisc_feature_extraction.lv).
import { configReader, readBlipSizes, type BlipSizes } from "./sizing.js";

/** blip_retrieval's encoders without its training keys. `maxTxtLen`: LAVIS reads it, extract_features does not truncate with it. */
export interface BlipFeatureExtractorConfig extends BlipSizes {
  readonly embedDim: number;
  /** `temp`'s value (`init_temperature`, BlipFeatureExtractor.__init__'s 0.07); extraction does not use it. */
  readonly initTemperature: number;
}

export function readBlipFeatureExtractorConfig(raw: Readonly<Record<string, unknown>>): BlipFeatureExtractorConfig | string[] {
  const errors: string[] = [];
  const r = configReader(raw, errors);
  const cfg = { ...readBlipSizes(raw, errors), embedDim: r.int("embed_dim"), initTemperature: r.num("init_temperature") };
  return errors.length ? errors : cfg;
}
