// BERT sizes from the "med" JSON config a LAVIS model type names in `med_config_path`. LAVIS ships these files inside
// its package; lavisc knows their values, and reads any other path as a JSON file of the user's.
import { existsSync, readFileSync } from "node:fs";

export interface MedConfig {
  readonly hiddenSize: number;
  readonly layers: number;
  readonly heads: number;
  readonly intermediate: number;
  /** Rows of the word embeddings in LAVIS's checkpoints (BLIP: bert-base-uncased plus [DEC] and [ENC]). */
  readonly vocabSize: number;
  readonly maxPositions: number;
  /** ALBEF/ALPRO: layers below it are text-only; absent = cross-attention in every layer (BLIP). */
  readonly fusionLayer: number | null;
}

const BERT_BASE = { hiddenSize: 768, layers: 12, heads: 12, intermediate: 3072, maxPositions: 512 };

/** LAVIS's files (configs/models/*.json) by the path its model configs use. `encoder_width` is not kept: LAVIS sets it to the ViT's width in code. */
const LAVIS_MED_CONFIGS: Readonly<Record<string, MedConfig>> = {
  "configs/models/med_config.json": { ...BERT_BASE, vocabSize: 30524, fusionLayer: null },
  "configs/models/med_large_config.json": { ...BERT_BASE, vocabSize: 30524, fusionLayer: null },
  "configs/models/med_config_albef.json": { ...BERT_BASE, vocabSize: 30522, fusionLayer: 6 },
  "configs/models/bert_config.json": { ...BERT_BASE, vocabSize: 30522, fusionLayer: null },
  "configs/models/bert_config_alpro.json": { ...BERT_BASE, vocabSize: 30522, fusionLayer: 6 },
};

/** What a model without `med_config_path` gets: BLIP's med_config.json. */
export const DEFAULT_MED_CONFIG = LAVIS_MED_CONFIGS["configs/models/med_config.json"]!;

/**
 * The med config `model.med_config_path` names (LAVIS's path, or a BERT-style JSON file), or the default when the key
 * is absent. Problems are pushed to `errors` as user-facing text, and the default is returned.
 */
export function readMedConfig(raw: Readonly<Record<string, unknown>>, errors: string[]): MedConfig {
  const path = raw["med_config_path"];
  if (path === undefined || path === null || path === "") return DEFAULT_MED_CONFIG;
  if (typeof path !== "string") {
    errors.push(`model.med_config_path must be a path, got ${JSON.stringify(path)}`);
    return DEFAULT_MED_CONFIG;
  }
  const known = LAVIS_MED_CONFIGS[path.replace(/^(\.\/)?(lavis\/)?/, "")];
  if (known) return known;
  if (!existsSync(path)) {
    errors.push(`model.med_config_path "${path}" is neither one of LAVIS's configs (${Object.keys(LAVIS_MED_CONFIGS).join(", ")}) nor an existing JSON file`);
    return DEFAULT_MED_CONFIG;
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (e) {
    errors.push(`model.med_config_path "${path}" is not valid JSON: ${(e as Error).message}`);
    return DEFAULT_MED_CONFIG;
  }
  const int = (key: string, dflt: number | null): number | null => {
    const v = json[key];
    if (v === undefined || v === null) return dflt;
    if (typeof v === "number" && Number.isInteger(v) && v > 0) return v;
    errors.push(`${path}: "${key}" must be a positive integer, got ${JSON.stringify(v)}`);
    return dflt;
  };
  const hiddenSize = int("hidden_size", BERT_BASE.hiddenSize)!;
  return {
    hiddenSize,
    layers: int("num_hidden_layers", BERT_BASE.layers)!,
    heads: int("num_attention_heads", BERT_BASE.heads)!,
    intermediate: int("intermediate_size", 4 * hiddenSize)!,
    vocabSize: int("vocab_size", DEFAULT_MED_CONFIG.vocabSize)!,
    maxPositions: int("max_position_embeddings", BERT_BASE.maxPositions)!,
    fusionLayer: int("fusion_layer", null),
  };
}
