// Reads albef_classification's model config: the keys of blip_classification plus `fusion_layer`, the first text layer
// with cross-attention (stdlib/lavisc_albef_classification.lv; its default is the med config's, 6 for ALBEF's).
import { readBlipClassificationConfig, type BlipClassificationConfig } from "./blipClassificationConfig.js";
import { configReader } from "./sizing.js";

export interface AlbefClassificationConfig extends BlipClassificationConfig {
  /** Text layers `< fusionLayer` are text-only; the others cross-attend to the image. */
  readonly fusionLayer: number;
}

/** Returns the config or a list of user-facing problems. */
export function readAlbefClassificationConfig(raw: Readonly<Record<string, unknown>>): AlbefClassificationConfig | string[] {
  const base = readBlipClassificationConfig(raw);
  const errors = Array.isArray(base) ? [...base] : [];
  const fusionLayer = configReader(raw, errors).int("fusion_layer", 0);
  if (errors.length || Array.isArray(base)) return errors;
  return { ...base, fusionLayer };
}
