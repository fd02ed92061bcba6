// BLIP feature extractor (LAVIS BlipFeatureExtractor): the ITC encoders of BLIP (visual_encoder, text_encoder with
// cross-attention, vision_proj, text_proj, temp) for inference only. LAVIS loads BLIP's pretrained checkpoint into it
// non-strictly (its momentum encoders, queues and itm_head are dropped); so does lavisc (any blip_retrieval or
// blip_pretrain-shaped state dict). Evaluation is lavisc's task feature_extraction (blipFeatureExtraction.ts).
import type * as tf from "@tensorflow/tfjs";
import { ParamStore, readTensors } from "../nn/paramStore.js";
import type { BertConfig } from "../nn/bertEncoder.js";
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import type { StTensor } from "../checkpoint/safetensors.js";
import { DataError } from "../data/dataError.js";
import { Rng } from "../train/rng.js";
import type { BlipFeatureExtractorConfig } from "./blipFeatureExtractorConfig.js";
import type { EvalContext, EvalOutcome, Model, PreparedStep, StateDictIssues } from "./model.js";
import { loadTensors } from "./loadTensors.js";
import { bertConfigOf } from "./sizing.js";
import { declareBlipItc } from "./blipItc.js";
import { extractBlipFeatures } from "./blipFeatureExtraction.js";

export class BlipFeatureExtractor implements Model {
  readonly arch = "blip_feature_extractor";
  private readonly main: ParamStore;
  readonly bert: BertConfig;

  constructor(readonly cfg: BlipFeatureExtractorConfig, private readonly tokenizer: WordPieceTokenizer, seed: number) {
    this.main = new ParamStore(new Rng(seed), true, cfg.initStd);
    this.bert = bertConfigOf(cfg, tokenizer.size, cfg.vit.width);
    declareBlipItc(this.main, cfg, this.bert);
    this.main.add("temp", [], { kind: "constant", value: cfg.initTemperature });
  }

  get trainable(): ReadonlyMap<string, tf.Variable> {
    return this.main.vars;
  }

  prepareStep(): PreparedStep {
    throw new DataError("unsupported", "blip_feature_extractor has no training loss (LAVIS uses it for inference only); use task feature_extraction with evaluate = true");
  }

  evaluate(ctx: EvalContext): Promise<EvalOutcome | null> {
    return extractBlipFeatures({ params: this.main.lookup(), vit: this.cfg.vit, bert: this.bert, tokenizer: this.tokenizer, arch: this.arch }, ctx);
  }

  stateDict(): Promise<Map<string, StTensor>> {
    return readTensors(this.main.vars);
  }

  loadStateDict(state: ReadonlyMap<string, StTensor>, strict: boolean): (StateDictIssues & { loaded: boolean }) | null {
    return loadTensors(this.main.vars, state, strict);
  }

  dispose(): void {
    this.main.dispose();
  }
}
