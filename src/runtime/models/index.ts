// Model registry: arch name → config reader and constructor, all behind the same Model interface.
import { TFJS_ARCHS, type ModelSpec, type TfjsArch } from "../runSpec.js";
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
import { BlipFeatureExtractor } from "./blipFeatureExtractor.js";
import { readBlipFeatureExtractorConfig } from "./blipFeatureExtractorConfig.js";
import { readBlipVqaConfig } from "./blipVqaConfig.js";
import type { Model } from "./model.js";
import { configReader } from "./sizing.js";

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

/** The tokens the BLIP family adds to vocab.txt: `added_tokens` (stdlib/encoders.lv: BLIP's [DEC] and [ENC], none for ALBEF). */
export function blipAddedTokens(raw: Readonly<Record<string, unknown>>): readonly string[] {
  return configReader(raw, []).strings("added_tokens");
}

type Raw = Readonly<Record<string, unknown>>;
type TextConfig = { readonly vocabFile: string | null; readonly vocabSize: number; readonly maxTxtLen: number };

interface Entry {
  readonly text: (config: Raw) => ModelTextSettings | string[];
  readonly create: (model: ModelSpec, tokenizer: WordPieceTokenizer, seed: number) => Model | string[];
}

/**
 * An arch's entry: its config reader (user-facing errors or the config; it may also read the RunSpec's facts about
 * the arch, such as `retrievalEvalTxtLen`), constructor and added vocabulary tokens.
 */
function entry<C extends TextConfig>(
  read: (raw: Raw, model?: ModelSpec) => C | string[], build: (c: C, tokenizer: WordPieceTokenizer, seed: number) => Model, addedTokens: (raw: Raw) => readonly string[] = blipAddedTokens,
): Entry {
  return {
    text: (raw) => {
      const c = read(raw);
      return Array.isArray(c) ? c : { vocabFile: c.vocabFile, vocabSize: c.vocabSize, maxTxtLen: c.maxTxtLen, addedTokens: addedTokens(raw) };
    },
    create: (model, tokenizer, seed) => {
      const c = read(model.config, model);
      return Array.isArray(c) ? c : build(c, tokenizer, seed);
    },
  };
}

/** One entry per name of TFJS_ARCHS (the compiler's list of what this engine builds): the type allows no more, no fewer. */
const REGISTRY: Record<TfjsArch, Entry> = {
  blip_retrieval: entry(readBlipRetrievalConfig, (c, t, s) => new BlipRetrieval(c, t, s)),
  blip_caption: entry(readBlipCaptionConfig, (c, t, s) => new BlipCaption(c, t, s)),
  blip_vqa: entry(readBlipVqaConfig, (c, t, s) => new BlipVqa(c, t, s)),
  blip_classification: entry(readBlipClassificationConfig, (c, t, s) => new BlipClassification(c, t, s)),
  albef_classification: entry(readAlbefClassificationConfig, (c, t, s) => new AlbefClassification(c, t, s)),
  blip_feature_extractor: entry(readBlipFeatureExtractorConfig, (c, t, s) => new BlipFeatureExtractor(c, t, s)),
  // CLIP's tokenizer adds nothing (lavisc's CLIP uses WordPiece; LAVIS's is BPE).
  clip: entry(readClipConfig, (c, t, s) => new Clip(c, t, s), () => []),
};

export function supportedArchs(): string[] {
  return [...TFJS_ARCHS];
}

const entryOf = (arch: string): Entry | undefined => ((TFJS_ARCHS as readonly string[]).includes(arch) ? REGISTRY[arch as TfjsArch] : undefined);

export function modelTextSettings(model: ModelSpec): ModelTextSettings | string[] {
  const e = entryOf(model.arch);
  return e ? e.text(model.config) : [`model arch ${model.arch} is not supported by the runtime yet (supported: ${supportedArchs().join(", ")})`];
}

/** Builds the model, or returns user-facing config errors. Initialisation is seeded by `seed`. */
export function createModel(model: ModelSpec, tokenizer: WordPieceTokenizer, seed: number): Model | string[] {
  const e = entryOf(model.arch);
  return e ? e.create(model, tokenizer, seed) : [`model arch ${model.arch} is not supported by the runtime yet (supported: ${supportedArchs().join(", ")})`];
}
