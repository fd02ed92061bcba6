// The parameters AdamW decays (RunnerBase's `weight_decay` group) in each arch the tfjs engine builds, at its tiny
// type's test size (one ViT block, one text layer), under the rule a project's RunSpec carries (the compiler reads it
// from runner_base's stdlib `adamw`), for tests that pin the set.
import * as tf from "@tensorflow/tfjs";
import { createModel } from "../../src/runtime/models/index.js";
import { withoutRandomInit } from "../../src/runtime/nn/paramStore.js";
import { WordPieceTokenizer } from "../../src/runtime/nn/tokenizer.js";
import { usesWeightDecay } from "../../src/runtime/optim/adamW.js";
import type { NoDecayRule, TfjsArch } from "../../src/runtime/runSpec.js";
import { projectRunSpec } from "../../src/results/projectSpec.js";
import { modelConfigOf } from "../harness/modelConfig.js";
import { fromRoot } from "../harness/repoRoot.js";

const SIZE = { image_size: 16, patch_size: 8, vit_width: 32, vit_depth: 1, vit_heads: 2, text_width: 32, text_layers: 1, text_heads: 2, max_txt_len: 8 };
const OWN: Record<TfjsArch, Record<string, unknown>> = {
  blip_retrieval: { embed_dim: 16, queue_size: 16 },
  blip_caption: {},
  blip_vqa: {},
  blip_classification: { num_classes: 3 },
  albef_classification: { num_classes: 3, fusion_layer: 1 },
  blip_feature_extractor: {},
  clip: { embed_dim: 16 },
};

function vocab(): WordPieceTokenizer {
  const words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  while (words.length < 64) words.push(`w${words.length}`);
  return new WordPieceTokenizer(words);
}

/** RunSpec.optimizer.noDecay as `lavisc run` compiles it for a project (the quickstart's retrieval). */
export function compiledNoDecay(): NoDecayRule {
  return projectRunSpec(fromRoot("projects", "quickstart", "retrieval_shapes.lv")).optimizer.noDecay;
}

/** The trainable parameters of `arch(tiny)` (sorted names) that AdamW decays under `rule`, and how many it has in all. */
export function decayedParams(arch: TfjsArch, rule: NoDecayRule): { decayed: string[]; trainable: number } {
  tf.setBackend("cpu");
  const config = modelConfigOf({ arch, model_type: "tiny", ...SIZE, ...OWN[arch] });
  const model = withoutRandomInit(() => createModel({ arch, modelType: "tiny", config, loadWeights: null }, vocab(), 1));
  if (Array.isArray(model)) throw new Error(model.join("; "));
  try {
    const decayed = [...model.trainable].filter(([name, v]) => usesWeightDecay(name, v.shape, rule)).map(([name]) => name);
    return { decayed: decayed.sort(), trainable: model.trainable.size };
  } finally {
    model.dispose();
  }
}
