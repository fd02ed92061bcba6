// Reads blip_vqa's model config: the same ViT/BERT keys as blip_retrieval (LAVIS keys plus lavisc's size keys);
// the answer decoder is a BERT of the text encoder's size, as LAVIS builds both from med_config.
import { readBlipRetrievalConfig } from "./blipRetrievalConfig.js";
import { blipSizesOf, type BlipSizes } from "./sizing.js";

/** `maxTxtLen` is the question truncation (BlipVQA max_txt_len, 35). */
export type BlipVqaConfig = BlipSizes;

/** Returns the config or a list of user-facing problems. */
export function readBlipVqaConfig(raw: Readonly<Record<string, unknown>>): BlipVqaConfig | string[] {
  const c = readBlipRetrievalConfig(raw);
  return Array.isArray(c) ? c : blipSizesOf(c);
}
