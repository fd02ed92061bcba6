// Reads blip_vqa's model config: BlipEncoders' keys plus `label_smoothing` (stdlib/lavisc_blip_vqa.lv); the answer
// decoder is a BERT of the text encoder's size, as LAVIS builds both from med_config.
import { configReader, readBlipSizes, type BlipSizes } from "./sizing.js";

/** `maxTxtLen` is the question truncation (BlipVQA max_txt_len). */
export interface BlipVqaConfig extends BlipSizes {
  /** Label smoothing of the answer decoder's cross-entropy, in training and rank scores (`label_smoothing`: med.py's 0.1). */
  readonly labelSmoothing: number;
}

/** Returns the config or a list of user-facing problems. */
export function readBlipVqaConfig(raw: Readonly<Record<string, unknown>>): BlipVqaConfig | string[] {
  const errors: string[] = [];
  const cfg: BlipVqaConfig = { ...readBlipSizes(raw, errors), labelSmoothing: configReader(raw, errors).rate("label_smoothing") };
  return errors.length ? errors : cfg;
}
