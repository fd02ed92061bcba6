// Model registry: arch name → constructor from the resolved model config. Later archs (blip_caption, blip_vqa,
// blip_classification, clip) register here with the same Model interface.
import type { ModelSpec } from "../runSpec.js";
import { BLIP_ADDED_TOKENS, type WordPieceTokenizer } from "../nn/tokenizer.js";
import { BlipRetrieval } from "./blipRetrieval.js";
import { readBlipRetrievalConfig } from "./blipRetrievalConfig.js";
import { BlipClassification } from "./blipClassification.js";
import { readBlipClassificationConfig } from "./blipClassificationConfig.js";
import { Clip } from "./clip.js";
import { readClipConfig } from "./clipConfig.js";
import { BlipCaption } from "./blipCaption.js";
import { readBlipCaptionConfig } from "./blipCaptionConfig.js";
import { BlipVqa } from "./blipVqa.js";
import { BlipFeatureExtractor } from "./blipFeatureExtractor.js";
import { readBlipFeatureExtractorConfig } from "./blipFeatureExtractorConfig.js";
import { readBlipVqaConfig } from "./blipVqaConfig.js";
import type { Model } from "./model.js";

export type { Model, TrainBatch, StepContext, PreparedStep, RetrievalEvalData, StateDictIssues } from "./model.js";
export { describeIssues } from "./model.js";

/** Model settings that influence data preparation (the tokenizer must exist before the model). */
export interface ModelTextSettings {
  readonly vocabFile: string | null;
  readonly vocabSize: number;
  readonly maxTxtLen: number;
  /** Tokens appended to a vocab.txt where absent (BLIP's [DEC], [ENC]; none for plain BERT or CLIP). */
  readonly addedTokens: readonly string[];
}

/**
 * LAVIS's BERT configs and their vocab_size: BLIP's med configs count [DEC] and [ENC] on top of bert-base-uncased's
 * 30522 tokens; ALBEF's and ALPRO's are plain BERT (their tokenizer adds nothing).
 */
const MED_CONFIG_VOCAB: Record<string, number> = {
  "med_config.json": 30524,
  "med_large_config.json": 30524,
  "med_config_albef.json": 30522,
  "bert_config_alpro.json": 30522,
};

/** BLIP archs add [DEC] and [ENC] (init_tokenizer) unless med_config_path names a plain-BERT config. */
export function blipAddedTokens(raw: Readonly<Record<string, unknown>>): readonly string[] {
  const path = raw["med_config_path"];
  const med = typeof path === "string" ? path.split(/[\\/]/).pop()! : null;
  return med !== null && MED_CONFIG_VOCAB[med] === 30522 ? [] : BLIP_ADDED_TOKENS;
}

interface Entry {
  readonly text: (config: Readonly<Record<string, unknown>>) => ModelTextSettings | string[];
  readonly create: (config: Readonly<Record<string, unknown>>, tokenizer: WordPieceTokenizer, seed: number) => Model | string[];
}

const REGISTRY: Record<string, Entry> = {
  blip_feature_extractor: {
    text: (raw) => {
      const c = readBlipFeatureExtractorConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen };
    },
    create: (raw, tokenizer, seed) => {
      const c = readBlipFeatureExtractorConfig(raw);
      return Array.isArray(c) ? c : new BlipFeatureExtractor(c, tokenizer, seed);
    },
  },
  blip_vqa: {
    text: (raw) => {
      const c = readBlipVqaConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen, addedTokens: blipAddedTokens(raw) };
    },
    create: (raw, tokenizer, seed) => {
      const c = readBlipVqaConfig(raw);
      return Array.isArray(c) ? c : new BlipVqa(c, tokenizer, seed);
    },
  },
  blip_caption: {
    text: (raw) => {
      const c = readBlipCaptionConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen, addedTokens: blipAddedTokens(raw) };
    },
    create: (raw, tokenizer, seed) => {
      const c = readBlipCaptionConfig(raw);
      return Array.isArray(c) ? c : new BlipCaption(c, tokenizer, seed);
    },
  },
  clip: {
    text: (raw) => {
      const c = readClipConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen, addedTokens: [] };
    },
    create: (raw, tokenizer, seed) => {
      const c = readClipConfig(raw);
      return Array.isArray(c) ? c : new Clip(c, tokenizer, seed);
    },
  },
  blip_classification: {
    text: (raw) => {
      const c = readBlipClassificationConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen, addedTokens: blipAddedTokens(raw) };
    },
    create: (raw, tokenizer, seed) => {
      const c = readBlipClassificationConfig(raw);
      return Array.isArray(c) ? c : new BlipClassification(c, tokenizer, seed);
    },
  },
  blip_retrieval: {
    text: (raw) => {
      const c = readBlipRetrievalConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen, addedTokens: blipAddedTokens(raw) };
    },
    create: (raw, tokenizer, seed) => {
      const c = readBlipRetrievalConfig(raw);
      return Array.isArray(c) ? c : new BlipRetrieval(c, tokenizer, seed);
    },
  },
};

export function supportedArchs(): string[] {
  return Object.keys(REGISTRY);
}

export function modelTextSettings(model: ModelSpec): ModelTextSettings | string[] {
  const e = REGISTRY[model.arch];
  return e ? e.text(model.config) : [`model arch ${model.arch} is not supported by the runtime yet (supported: ${supportedArchs().join(", ")})`];
}

/** Builds the model, or returns user-facing config errors. Initialisation is seeded by `seed`. */
export function createModel(model: ModelSpec, tokenizer: WordPieceTokenizer, seed: number): Model | string[] {
  const e = REGISTRY[model.arch];
  return e ? e.create(model.config, tokenizer, seed) : [`model arch ${model.arch} is not supported by the runtime yet (supported: ${supportedArchs().join(", ")})`];
}
