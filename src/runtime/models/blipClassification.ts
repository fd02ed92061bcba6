// BLIP multimodal classification (LAVIS BlipClassification): the shared classifier (multimodalClassifier.ts) with
// BLIP's BERT, cross-attending to the image in every layer.
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import type { BlipClassificationConfig } from "./blipClassificationConfig.js";
import { MultimodalClassifier } from "./multimodalClassifier.js";
import { bertConfigOf } from "./sizing.js";

export class BlipClassification extends MultimodalClassifier {
  constructor(cfg: BlipClassificationConfig, tokenizer: WordPieceTokenizer, seed: number) {
    super("blip_classification", cfg, bertConfigOf(cfg, tokenizer.size, cfg.vit.width), tokenizer, seed);
  }
}
