// Reads clip's model config: LAVIS's model types are pretrained OpenCLIP towers (ViT-B-32 …), so a from-scratch
// model is sized by lavisc keys; absent keys default to ViT-B-32 (open_clip's ViT-B-32.json).
import type { ClipTowerConfig } from "./clipTransformer.js";
import { numberReader } from "./sizing.js";

export interface ClipConfig {
  readonly imageSize: number;
  readonly patchSize: number;
  readonly vision: ClipTowerConfig;
  readonly text: ClipTowerConfig;
  readonly embedDim: number;
  /** Text context length (open_clip's context_length, 77). */
  readonly maxTxtLen: number;
  readonly vocabFile: string | null;
  readonly vocabSize: number;
  readonly initStd: number | null;
  /** Zero-shot prompts, each with one "{}" for the class name; a class embedding is the mean over templates. */
  readonly zeroShotTemplates: readonly string[];
}

export const DEFAULT_TEMPLATES = ["a photo of a {}."];

/** Returns the config or a list of user-facing problems. */
export function readClipConfig(raw: Readonly<Record<string, unknown>>): ClipConfig | string[] {
  const errors: string[] = [];
  const num = numberReader(raw, errors);
  const imageSize = num("image_size", 224);
  const patchSize = num("patch_size", 32);
  const visionWidth = num("vit_width", 768);
  const textWidth = num("text_width", 512);
  const vision: ClipTowerConfig = { width: visionWidth, layers: num("vit_depth", 12), heads: num("vit_heads", Math.max(1, Math.floor(visionWidth / 64))), mlpRatio: num("vit_mlp_ratio", 4) };
  const text: ClipTowerConfig = { width: textWidth, layers: num("text_layers", 12), heads: num("text_heads", 8), mlpRatio: num("text_mlp_ratio", 4) };
  const templatesRaw = raw["zero_shot_templates"];
  let zeroShotTemplates = DEFAULT_TEMPLATES;
  if (templatesRaw !== undefined && templatesRaw !== null) {
    if (!Array.isArray(templatesRaw) || !templatesRaw.length || !templatesRaw.every((t) => typeof t === "string" && t.includes("{}"))) {
      errors.push(`model.zero_shot_templates must be a non-empty list of strings that each contain "{}", got ${JSON.stringify(templatesRaw)}`);
    } else zeroShotTemplates = templatesRaw as string[];
  }
  const cfg: ClipConfig = {
    imageSize,
    patchSize,
    vision,
    text,
    embedDim: num("embed_dim", 512),
    maxTxtLen: num("max_txt_len", 77, true, 3),
    vocabFile: typeof raw["vocab_file"] === "string" ? (raw["vocab_file"] as string) : null,
    vocabSize: num("vocab_size", 49408),
    initStd: raw["init_std"] === undefined || raw["init_std"] === null ? null : num("init_std", 0.02, false),
    zeroShotTemplates,
  };
  if (imageSize % patchSize !== 0) errors.push(`model.image_size ${imageSize} is not a multiple of patch_size ${patchSize}`);
  if (vision.width % vision.heads !== 0) errors.push(`model.vit_width ${vision.width} is not divisible by vit_heads ${vision.heads}`);
  if (text.width % text.heads !== 0) errors.push(`model.text_width ${text.width} is not divisible by text_heads ${text.heads}`);
  return errors.length ? errors : cfg;
}
