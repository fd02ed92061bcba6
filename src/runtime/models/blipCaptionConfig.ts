// Reads blip_caption's model config: LAVIS's keys (image_size, vit_type, prompt, max_txt_len) plus lavisc's size keys,
// shared with blip_retrieval (whose reader also validates them).
import { readBlipRetrievalConfig } from "./blipRetrievalConfig.js";
import { blipSizesOf, type BlipSizes } from "./sizing.js";

export interface BlipCaptionConfig extends BlipSizes {
  /** Text the train captions start with (the text processor adds it); its tokens are not scored. */
  readonly prompt: string;
}

export function readBlipCaptionConfig(raw: Readonly<Record<string, unknown>>): BlipCaptionConfig | string[] {
  // BlipCaption.from_config: max_txt_len defaults to 40, prompt to "".
  const base = readBlipRetrievalConfig({ ...raw, max_txt_len: raw["max_txt_len"] ?? 40 });
  const errors = Array.isArray(base) ? [...base] : [];
  const prompt = raw["prompt"] ?? "";
  if (typeof prompt !== "string") errors.push(`model.prompt must be a string, got ${JSON.stringify(prompt)}`);
  if (errors.length || Array.isArray(base)) return errors;
  return { ...blipSizesOf(base), prompt: prompt as string };
}
