// Reads clip's model config: the sizes of the model type's open_clip config, or lavisc's own keys, all filled in by the
// compiler (stdlib/lavisc_clip.lv).
import type { ClipTextInit, ClipTowerConfig } from "./clipTransformer.js";
import { configReader } from "./sizing.js";

export interface ClipConfig {
  readonly imageSize: number;
  readonly patchSize: number;
  readonly vision: ClipTowerConfig;
  readonly text: ClipTowerConfig;
  readonly embedDim: number;
  /** Text context length (open_clip's context_length). */
  readonly maxTxtLen: number;
  readonly vocabFile: string | null;
  readonly vocabSize: number;
  readonly initStd: number | null;
  /** CLIP's own init constants, LAVIS's when init_std is null (VisualTransformer reads widthExponent too). */
  readonly init: ClipTextInit;
  /** logit_scale starts at ln(1 / initTemperature) (model key `init_temperature`). */
  readonly initTemperature: number;
  /** Zero-shot prompts, each with one "{}" for the class name; a class embedding is the mean over templates. */
  readonly zeroShotTemplates: readonly string[];
}

/** Returns the config or a list of user-facing problems. */
export function readClipConfig(raw: Readonly<Record<string, unknown>>): ClipConfig | string[] {
  const errors: string[] = [];
  const r = configReader(raw, errors);
  const zeroShotTemplates = r.strings("zero_shot_templates");
  if (!zeroShotTemplates.length || !zeroShotTemplates.every((t) => t.includes("{}"))) {
    errors.push(`model.zero_shot_templates must be a non-empty list of strings that each contain "{}", got ${JSON.stringify(raw["zero_shot_templates"])}`);
  }
  const normEps = r.num("layer_norm_eps");
  const cfg: ClipConfig = {
    imageSize: r.int("image_size"),
    patchSize: r.int("patch_size"),
    vision: { width: r.int("vit_width"), layers: r.int("vit_depth"), heads: r.int("vit_heads"), mlpRatio: r.int("vit_mlp_ratio"), normEps },
    text: { width: r.int("text_width"), layers: r.int("text_layers"), heads: r.int("text_heads"), mlpRatio: r.int("text_mlp_ratio"), normEps },
    embedDim: r.int("embed_dim"),
    maxTxtLen: r.int("max_txt_len", 3),
    vocabFile: r.optStr("vocab_file"),
    vocabSize: r.int("vocab_size"),
    initStd: r.optNum("init_std"),
    init: {
      tokenEmbeddingStd: r.num("token_embedding_std"),
      positionalEmbeddingStd: r.num("text_positional_embedding_std"),
      widthExponent: r.num("init_width_exponent", -Infinity),
      fcWidthFactor: r.num("init_fc_width_factor"),
      projDepthFactor: r.num("init_proj_depth_factor"),
    },
    initTemperature: r.num("init_temperature"),
    zeroShotTemplates,
  };
  return errors.length ? errors : cfg;
}
