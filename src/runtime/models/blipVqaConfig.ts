// Reads blip_vqa's model config: BlipEncoders' keys (stdlib/lavisc_blip_vqa.lv); the answer decoder is a BERT of the
// text encoder's size, as LAVIS builds both from med_config.
import { readBlipSizes, type BlipSizes } from "./sizing.js";

/** `maxTxtLen` is the question truncation (BlipVQA max_txt_len). */
export type BlipVqaConfig = BlipSizes;

/** Returns the config or a list of user-facing problems. */
export function readBlipVqaConfig(raw: Readonly<Record<string, unknown>>): BlipVqaConfig | string[] {
  const errors: string[] = [];
  const cfg = readBlipSizes(raw, errors);
  return errors.length ? errors : cfg;
}
