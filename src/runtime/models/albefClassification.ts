// ALBEF multimodal classification (LAVIS AlbefClassification): the shared classifier (multimodalClassifier.ts) with
// ALBEF's BERT (med_config_albef: plain bert-base-uncased, [CLS] first): layers below `fusion_layer` are text-only
// (no `crossattention.*`), the later ones cross-attend to all image tokens; `cls_head` reads
// `last_hidden_state[:, 0, :]`. Momentum copies `visual_encoder_m`, `text_encoder_m`, `cls_head_m` with use_distill.
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import type { AlbefClassificationConfig } from "./albefClassificationConfig.js";
import { MultimodalClassifier } from "./multimodalClassifier.js";
import { bertConfigOf } from "./sizing.js";

export class AlbefClassification extends MultimodalClassifier {
  constructor(cfg: AlbefClassificationConfig, tokenizer: WordPieceTokenizer, seed: number) {
    super("albef_classification", cfg, { ...bertConfigOf(cfg, tokenizer.size, cfg.vit.width), fusionLayer: cfg.fusionLayer }, tokenizer, seed);
  }
}
