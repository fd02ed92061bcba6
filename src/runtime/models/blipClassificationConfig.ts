// Reads blip_classification's model config: LAVIS's keys (num_classes, use_distill, momentum, alpha, max_txt_len,
// vit_type, image_size) plus the same explicit size keys as blip_retrieval for small CPU models.
import { readBlipRetrievalConfig } from "./blipRetrievalConfig.js";
import { blipSizesOf, type BlipSizes } from "./sizing.js";

export interface BlipClassificationConfig extends BlipSizes {
  readonly numClasses: number;
  /** Momentum distillation: an EMA copy of the model gives soft targets (LAVIS default true). */
  readonly useDistill: boolean;
  readonly momentum: number;
  readonly alpha: number;
}

/** Keys shared with blip_retrieval's reader (encoder sizes, vocabulary, init); retrieval-only keys are not passed on. */
const SHARED_KEYS = [
  "image_size", "vit_type", "vit_width", "vit_depth", "vit_heads", "vit_mlp_ratio", "patch_size",
  "text_width", "text_layers", "text_heads", "text_intermediate", "med_config_path", "momentum", "alpha", "vocab_file", "vocab_size", "init_std",
];

/** Returns the config or a list of user-facing problems. */
export function readBlipClassificationConfig(raw: Readonly<Record<string, unknown>>): BlipClassificationConfig | string[] {
  const shared: Record<string, unknown> = {};
  for (const k of SHARED_KEYS) if (raw[k] !== undefined) shared[k] = raw[k];
  const base = readBlipRetrievalConfig(shared);
  const errors = Array.isArray(base) ? [...base] : [];
  const numClasses = raw["num_classes"];
  // LAVIS: num_classes defaults to -1 and from_config asserts num_classes > 1.
  if (typeof numClasses !== "number" || !Number.isInteger(numClasses) || numClasses < 2) {
    errors.push(`model.num_classes must be an integer > 1 (the number of classes of the dataset), got ${JSON.stringify(numClasses ?? null)}`);
  }
  const maxTxtLen = raw["max_txt_len"] ?? 40; // BlipClassification's default
  if (typeof maxTxtLen !== "number" || !Number.isInteger(maxTxtLen) || maxTxtLen < 2) errors.push(`model.max_txt_len must be an integer ≥ 2, got ${JSON.stringify(maxTxtLen)}`);
  const useDistill = raw["use_distill"] ?? true;
  if (typeof useDistill !== "boolean") errors.push(`model.use_distill must be true or false, got ${JSON.stringify(useDistill)}`);
  if (errors.length || Array.isArray(base)) return errors;
  return {
    ...blipSizesOf(base),
    maxTxtLen: maxTxtLen as number,
    numClasses: numClasses as number,
    useDistill: useDistill as boolean,
    momentum: base.momentum,
    alpha: base.alpha,
  };
}
