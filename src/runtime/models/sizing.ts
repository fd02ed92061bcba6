import type { BertConfig } from "../nn/bertEncoder.js";
import type { VitConfig } from "../nn/vit.js";

/** The text-side sizes every BLIP-family config reads (see blipRetrievalConfig). */
export interface TextSizes {
  readonly textWidth: number;
  readonly textLayers: number;
  readonly textHeads: number;
  readonly textIntermediate: number;
  /** Rows of the text position embeddings (med config's max_position_embeddings). */
  readonly textPositions: number;
  readonly maxTxtLen: number;
}

/** What every BLIP-family config has: the ViT, the BERT sizes, the vocabulary and the init scale. */
export interface BlipSizes extends TextSizes {
  readonly vit: VitConfig;
  /** Path of a BERT vocab.txt; null = build a vocabulary from the training captions. */
  readonly vocabFile: string | null;
  /** Upper bound on a built vocabulary. */
  readonly vocabSize: number;
  /** Std of all random weight inits; null = LAVIS/timm/BERT defaults (0.02). */
  readonly initStd: number | null;
}

/** The shared part of a reader's config, without its arch-specific keys. */
export function blipSizesOf(c: BlipSizes): BlipSizes {
  return {
    vit: c.vit, textWidth: c.textWidth, textLayers: c.textLayers, textHeads: c.textHeads, textIntermediate: c.textIntermediate,
    textPositions: c.textPositions, maxTxtLen: c.maxTxtLen, vocabFile: c.vocabFile, vocabSize: c.vocabSize, initStd: c.initStd,
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
  };
}

/**
 * Reads numeric model keys, collecting user-facing errors (`model.<key> must be ...`) instead of throwing; an absent
 * or null key takes its default.
 */
export function numberReader(raw: Readonly<Record<string, unknown>>, errors: string[]) {
  return (key: string, dflt: number, integer = true, min = integer ? 1 : 0): number => {
    const v = raw[key];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min) {
      errors.push(`model.${key} must be ${integer ? "an integer" : "a number"} ≥ ${min}, got ${JSON.stringify(v)}`);
      return dflt;
    }
    return v;
  };
}
