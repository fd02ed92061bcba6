// Reads albef_classification's model config: the keys of blip_classification (LAVIS's num_classes, use_distill,
// momentum, alpha, max_txt_len, vit_type, image_size and lavisc's size keys) plus `fusion_layer`, the first text
// layer with cross-attention (med_config_albef.json: 6 of 12). ALBEF's BERT vocabulary is bert-base-uncased's 30522.
import { readBlipClassificationConfig, type BlipClassificationConfig } from "./blipClassificationConfig.js";
import { numberReader } from "./sizing.js";
import { readMedConfig } from "./medConfig.js";

export interface AlbefClassificationConfig extends BlipClassificationConfig {
  /** Text layers `< fusionLayer` are text-only; the others cross-attend to the image. */
  readonly fusionLayer: number;
}

/** LAVIS's med config for ALBEF (fusion_layer 6, vocab_size 30522), unless the model config names another. */
const ALBEF_MED_CONFIG = "configs/models/med_config_albef.json";

/** Returns the config or a list of user-facing problems. */
export function readAlbefClassificationConfig(raw: Readonly<Record<string, unknown>>): AlbefClassificationConfig | string[] {
  const withMed = { ...raw, med_config_path: raw["med_config_path"] ?? ALBEF_MED_CONFIG };
  const base = readBlipClassificationConfig(withMed);
  const errors = Array.isArray(base) ? [...base] : [];
  const defaultFusion = readMedConfig(withMed, []).fusionLayer ?? 0;
  const fusionLayer = numberReader(raw, errors)("fusion_layer", defaultFusion, true, 0);
  if (!Array.isArray(base) && fusionLayer > base.textLayers) {
    errors.push(
      `model.fusion_layer ${fusionLayer} is more than text_layers ${base.textLayers}: layers from fusion_layer on cross-attend to the image; ` +
        `set fusion_layer ≤ text_layers${raw["fusion_layer"] === undefined ? ` (its default is ${defaultFusion}, from ${withMed.med_config_path})` : ""}`,
    );
  }
  if (errors.length || Array.isArray(base)) return errors;
  return { ...base, fusionLayer };
}
