// Reading the resolved model config. The runtime has no defaults of its own: every key it reads is filled in by the
// compiler from the stdlib (stdlib/encoders.lv, stdlib/lavisc_*.lv), so a missing key is a RunSpec that did not come
// from lavisc's compiler, and is reported as such.
import type { BertConfig } from "../nn/bertEncoder.js";
import type { VitConfig } from "../nn/vit.js";

/** The text-side sizes every BLIP-family config reads (see readBlipSizes). */
export interface TextSizes {
  readonly textWidth: number;
  readonly textLayers: number;
  readonly textHeads: number;
  readonly textIntermediate: number;
  /** Rows of the text position embeddings (med config's max_position_embeddings). */
  readonly textPositions: number;
  readonly maxTxtLen: number;
  /** Std of the text side's normal inits (the med config's initializer_range). */
  readonly textInitializerRange: number;
  /** LayerNorm epsilon of the text side (the med config's layer_norm_eps). */
  readonly textLayerNormEps: number;
  /** Training dropout of the text side's hidden states and attention probabilities (0 = none). */
  readonly textHiddenDropout: number;
  readonly textAttentionDropout: number;
  /** Added to the attention score of a hidden key (`text_attention_mask_fill`: med.py's -10000.0). */
  readonly textAttentionMaskFill: number;
}

/** What every BLIP-family config has: the ViT, the BERT sizes, the vocabulary and the init scale. */
export interface BlipSizes extends TextSizes {
  readonly vit: VitConfig;
  /** Path of a BERT vocab.txt; null = build a vocabulary from the training captions. */
  readonly vocabFile: string | null;
  /** Upper bound on a built vocabulary. */
  readonly vocabSize: number;
  /** lavisc's `init_std`: std of all random weight inits (see nn/init.ts); null = LAVIS's own inits. */
  readonly initStd: number | null;
}

type Raw = Readonly<Record<string, unknown>>;

/**
 * Reads model keys, collecting user-facing errors (`model.<key> must be ...`) instead of throwing. Required keys that
 * are absent are reported as not filled in by the compiler; `opt*` keys may be null.
 */
export function configReader(raw: Raw, errors: string[]) {
  const present = (key: string): boolean => {
    if (raw[key] !== undefined && raw[key] !== null) return true;
    errors.push(`model.${key} is not set: lavisc's compiler fills it from the stdlib's defaults, so this model config did not come from it`);
    return false;
  };
  const number = (key: string, integer: boolean, min: number): number => {
    if (!present(key)) return Number.NaN;
    const v = raw[key];
    if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min) {
      errors.push(`model.${key} must be ${integer ? "an integer" : "a number"} ≥ ${min}, got ${JSON.stringify(v)}`);
      return Number.NaN;
    }
    return v;
  };
  return {
    int: (key: string, min = 1): number => number(key, true, min),
    num: (key: string, min = 0): number => number(key, false, min),
    /** A probability of dropping: a number in [0, 1). */
    rate: (key: string): number => {
      const v = number(key, false, 0);
      if (v >= 1) errors.push(`model.${key} must be below 1 (a dropout probability), got ${v}`);
      return v;
    },
    /** A negative number, an integer with `integer` (a fill value that hides a key or marks a slot unused). */
    negative: (key: string, integer = false): number => {
      const v = number(key, integer, -Infinity);
      if (v >= 0) errors.push(`model.${key} must be negative, got ${v}`);
      return v;
    },
    optNum: (key: string, min = 0): number | null => (raw[key] === undefined || raw[key] === null ? null : number(key, false, min)),
    str: (key: string): string => {
      if (!present(key)) return "";
      if (typeof raw[key] !== "string") errors.push(`model.${key} must be a string, got ${JSON.stringify(raw[key])}`);
      return String(raw[key]);
    },
    optStr: (key: string): string | null => (typeof raw[key] === "string" ? (raw[key] as string) : null),
    bool: (key: string): boolean => {
      if (!present(key)) return false;
      if (typeof raw[key] !== "boolean") errors.push(`model.${key} must be true or false, got ${JSON.stringify(raw[key])}`);
      return raw[key] === true;
    },
    strings: (key: string): string[] => {
      if (!present(key)) return [];
      const v = raw[key];
      if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
        errors.push(`model.${key} must be a list of strings, got ${JSON.stringify(v)}`);
        return [];
      }
      return v as string[];
    },
  };
}

/**
 * The keys of `BlipEncoders` (stdlib/encoders.lv) plus the arch's max_txt_len (at least `minTxtLen` tokens), the
 * training dropout rates included (`text_hidden_dropout`, `text_attention_dropout`, `vit_drop_path`).
 */
export function readBlipSizes(raw: Raw, errors: string[], minTxtLen = 3): BlipSizes {
  const r = configReader(raw, errors);
  return {
    vit: {
      imageSize: r.int("image_size"), patchSize: r.int("patch_size"), width: r.int("vit_width"), depth: r.int("vit_depth"), heads: r.int("vit_heads"), mlpRatio: r.int("vit_mlp_ratio"),
      initStd: r.num("vit_init_std"), normEps: r.num("vit_norm_eps"),
      dropPath: r.rate("vit_drop_path"),
    },
    textWidth: r.int("text_width"),
    textLayers: r.int("text_layers"),
    textHeads: r.int("text_heads"),
    textIntermediate: r.int("text_intermediate"),
    textPositions: r.int("text_positions"),
    maxTxtLen: r.int("max_txt_len", minTxtLen),
    textInitializerRange: r.num("text_initializer_range"),
    textLayerNormEps: r.num("text_layer_norm_eps"),
    textHiddenDropout: r.rate("text_hidden_dropout"),
    textAttentionDropout: r.rate("text_attention_dropout"),
    textAttentionMaskFill: r.negative("text_attention_mask_fill"),
    vocabFile: r.optStr("vocab_file"),
    vocabSize: r.int("vocab_size"),
    initStd: r.optNum("init_std"),
  };
}

/** A BERT encoder/decoder of the config's text size; `encoderWidth` is what it cross-attends to (0 = nothing). */
export function bertConfigOf(cfg: TextSizes, vocabSize: number, encoderWidth: number): BertConfig {
  return {
    vocabSize,
    maxPositions: Math.max(cfg.textPositions, cfg.maxTxtLen),
    width: cfg.textWidth,
    layers: cfg.textLayers,
    heads: cfg.textHeads,
    intermediate: cfg.textIntermediate,
    encoderWidth,
    initializerRange: cfg.textInitializerRange,
    layerNormEps: cfg.textLayerNormEps,
    hiddenDropout: cfg.textHiddenDropout,
    attentionDropout: cfg.textAttentionDropout,
    attentionMaskFill: cfg.textAttentionMaskFill,
  };
}
