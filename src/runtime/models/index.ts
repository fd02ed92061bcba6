// Model registry: arch name → constructor from the resolved model config. Later archs (blip_caption, blip_vqa,
// blip_classification, albef_classification, clip) register here with the same Model interface.
import type { ModelSpec } from "../runSpec.js";
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import { BlipRetrieval } from "./blipRetrieval.js";
import { readBlipRetrievalConfig } from "./blipRetrievalConfig.js";
import { BlipClassification } from "./blipClassification.js";
import { readBlipClassificationConfig } from "./blipClassificationConfig.js";
import { AlbefClassification } from "./albefClassification.js";
import { readAlbefClassificationConfig } from "./albefClassificationConfig.js";
import { Clip } from "./clip.js";
import { readClipConfig } from "./clipConfig.js";
import { BlipCaption } from "./blipCaption.js";
import { readBlipCaptionConfig } from "./blipCaptionConfig.js";
import { BlipVqa } from "./blipVqa.js";
import { readBlipVqaConfig } from "./blipVqaConfig.js";
import type { Model } from "./model.js";

export type { Model, TrainBatch, StepContext, PreparedStep, RetrievalEvalData, StateDictIssues } from "./model.js";
export { describeIssues } from "./model.js";

/** Model settings that influence data preparation (the tokenizer must exist before the model). */
export interface ModelTextSettings {
  readonly vocabFile: string | null;
  readonly vocabSize: number;
  readonly maxTxtLen: number;
}

interface Entry {
  readonly text: (config: Readonly<Record<string, unknown>>) => ModelTextSettings | string[];
  readonly create: (config: Readonly<Record<string, unknown>>, tokenizer: WordPieceTokenizer, seed: number) => Model | string[];
}

const REGISTRY: Record<string, Entry> = {
  blip_vqa: {
    text: (raw) => {
      const c = readBlipVqaConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen };
    },
    create: (raw, tokenizer, seed) => {
      const c = readBlipVqaConfig(raw);
      return Array.isArray(c) ? c : new BlipVqa(c, tokenizer, seed);
    },
  },
  blip_caption: {
    text: (raw) => {
      const c = readBlipCaptionConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen };
    },
    create: (raw, tokenizer, seed) => {
      const c = readBlipCaptionConfig(raw);
      return Array.isArray(c) ? c : new BlipCaption(c, tokenizer, seed);
    },
  },
  clip: {
    text: (raw) => {
      const c = readClipConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen };
    },
    create: (raw, tokenizer, seed) => {
      const c = readClipConfig(raw);
      return Array.isArray(c) ? c : new Clip(c, tokenizer, seed);
    },
  },
  blip_classification: {
    text: (raw) => {
      const c = readBlipClassificationConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen };
    },
    create: (raw, tokenizer, seed) => {
      const c = readBlipClassificationConfig(raw);
      return Array.isArray(c) ? c : new BlipClassification(c, tokenizer, seed);
    },
  },
  albef_classification: {
    text: (raw) => {
      const c = readAlbefClassificationConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen };
    },
    create: (raw, tokenizer, seed) => {
      const c = readAlbefClassificationConfig(raw);
      return Array.isArray(c) ? c : new AlbefClassification(c, tokenizer, seed);
    },
  },
  blip_retrieval: {
    text: (raw) => {
      const c = readBlipRetrievalConfig(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen };
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
