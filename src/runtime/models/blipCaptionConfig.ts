// Reads blip_caption's model config: BlipEncoders' keys plus `prompt` (stdlib/lavisc_blip_caption.lv), all filled in by
// the compiler.
import { configReader, readBlipSizes, type BlipSizes } from "./sizing.js";

export interface BlipCaptionConfig extends BlipSizes {
  /** Text the train captions start with (the text processor adds it); its tokens are not scored. */
  readonly prompt: string;
}

export function readBlipCaptionConfig(raw: Readonly<Record<string, unknown>>): BlipCaptionConfig | string[] {
  const errors: string[] = [];
  const cfg: BlipCaptionConfig = { ...readBlipSizes(raw, errors), prompt: configReader(raw, errors).str("prompt") };
  return errors.length ? errors : cfg;
}
