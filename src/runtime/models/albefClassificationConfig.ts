// Reads albef_classification's model config: the keys of blip_classification (LAVIS's num_classes, use_distill,
// momentum, alpha, max_txt_len, vit_type, image_size and lavisc's size keys) plus `fusion_layer`, the first text
// layer with cross-attention (med_config_albef.json: 6 of 12). ALBEF's BERT vocabulary is bert-base-uncased's 30522.
import { readBlipClassificationConfig, type BlipClassificationConfig } from "./blipClassificationConfig.js";
import { numberReader } from "./sizing.js";

export interface AlbefClassificationConfig extends BlipClassificationConfig {
  /** Text layers `< fusionLayer` are text-only; the others cross-attend to the image. */
  readonly fusionLayer: number;
}

/** med_config_albef.json's `fusion_layer` and `vocab_size`. */
const FUSION_LAYER = 6;
const VOCAB_SIZE = 30522;

/** Returns the config or a list of user-facing problems. */
export function readAlbefClassificationConfig(raw: Readonly<Record<string, unknown>>): AlbefClassificationConfig | string[] {
  const base = readBlipClassificationConfig({ ...raw, vocab_size: raw["vocab_size"] ?? VOCAB_SIZE });
  const errors = Array.isArray(base) ? [...base] : [];
  const fusionLayer = numberReader(raw, errors)("fusion_layer", FUSION_LAYER, true, 0);
  if (!Array.isArray(base) && fusionLayer > base.textLayers) {
    errors.push(
      `model.fusion_layer ${fusionLayer} is more than text_layers ${base.textLayers}: layers from fusion_layer on cross-attend to the image; ` +
        `set fusion_layer ≤ text_layers${raw["fusion_layer"] === undefined ? ` (its default is ${FUSION_LAYER}, as med_config_albef.json)` : ""}`,
    );
  }
  if (errors.length || Array.isArray(base)) return errors;
  return { ...base, fusionLayer };
}
