// Reads blip_caption's model config: BlipEncoders' keys plus `prompt` and `label_smoothing`
// (stdlib/lavisc_blip_caption.lv), all filled in by the compiler.
import { configReader, readBlipSizes, type BlipSizes } from "./sizing.js";

export interface BlipCaptionConfig extends BlipSizes {
  /** Text the train captions start with (the text processor adds it); its tokens are not scored. */
  readonly prompt: string;
  /** Label smoothing of the decoder's cross-entropy (`label_smoothing`: med.py BertLMHeadModel's 0.1). */
  readonly labelSmoothing: number;
}

export function readBlipCaptionConfig(raw: Readonly<Record<string, unknown>>): BlipCaptionConfig | string[] {
  const errors: string[] = [];
  const r = configReader(raw, errors);
  const cfg: BlipCaptionConfig = { ...readBlipSizes(raw, errors), prompt: r.str("prompt"), labelSmoothing: r.rate("label_smoothing") };
  return errors.length ? errors : cfg;
}
