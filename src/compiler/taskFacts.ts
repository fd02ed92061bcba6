// What each LAVIS task evaluates and writes (reference §d.1, §e.1, §e.2): metric names, the agg_metrics rule,
// result files, the generation keys it forwards and the annotation format its datasets are read as.
import type { DatasetSpec } from "../runtime/runSpec.js";

export interface TaskFacts {
  readonly metrics: readonly string[];
  /** How agg_metrics (best-checkpoint selection) is computed; null: the task does not evaluate. */
  readonly aggMetric: string | null;
  /** Result file names under result/, `{split}` and `{epoch}` filled at run time. */
  readonly resultFiles: readonly string[];
  /** Run keys forwarded to the model at evaluation time. */
  readonly generationKeys: readonly string[];
  /** How the task's datasets are read; absent: each dataset's own (the builder's `format`, else its name). */
  readonly format?: DatasetSpec["format"];
}

const VQA_KEYS = ["num_beams", "max_len", "min_len", "inference_method", "num_ans_candidates", "prompt"];
const RC_KEYS = [...VQA_KEYS.filter((k) => k !== "prompt"), "internal_bsz_fid", "num_captions", "num_captions_fid", "cap_max_length", "cap_min_length", "top_k", "top_p", "repetition_penalty", "num_patches", "block_num"];
const ACC = ["agg_metrics", "acc"];
const RECALLS = ["txt_r1", "txt_r5", "txt_r10", "txt_r_mean", "img_r1", "img_r5", "img_r10", "img_r_mean", "r_mean", "agg_metrics"];

export const TASK_FACTS: Readonly<Record<string, TaskFacts>> = {
  retrieval: {
    metrics: RECALLS,
    aggMetric: "txt_r_mean = (txt_r1 + txt_r5 + txt_r10) / 3",
    resultFiles: [],
    generationKeys: ["k_test"],
    format: "retrieval",
  },
  captioning: {
    metrics: ["Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "METEOR", "ROUGE_L", "CIDEr", "SPICE", "agg_metrics"],
    aggMetric: "CIDEr + Bleu_4 (0 when report_metric is false)",
    resultFiles: ["{split}_epoch{epoch}.json"],
    generationKeys: ["num_beams", "max_len", "min_len", "repetition_penalty", "length_penalty", "top_p", "temperature"],
    format: "caption",
  },
  vqa: { metrics: ["agg_metrics", "<answer type>"], aggMetric: "overall VQA accuracy (%)", resultFiles: ["{split}_vqa_result.json"], generationKeys: VQA_KEYS, format: "vqa" },
  aok_vqa: { metrics: ACC, aggMetric: "acc = 100 * mean(min(1, matches / 3))", resultFiles: ["{split}_vqa_result.json"], generationKeys: VQA_KEYS.filter((k) => k !== "prompt"), format: "vqa" },
  gqa: { metrics: ACC, aggMetric: "acc = 100 * exact match", resultFiles: ["{split}_vqa_result.json"], generationKeys: VQA_KEYS, format: "vqa" },
  discrn_qa: { metrics: ACC, aggMetric: "acc = 100 * mean(pred in gt)", resultFiles: ["{split}_vqa_result.json"], generationKeys: VQA_KEYS, format: "vqa" },
  vqa_reading_comprehension: {
    metrics: ["agg_metrics", "<answer type>"], aggMetric: "overall VQA accuracy (%)",
    resultFiles: ["{split}_vqa_result.json", "{split}_caption_result.json", "{split}_gradcam_result.pth"], generationKeys: RC_KEYS, format: "vqa",
  },
  gqa_reading_comprehension: {
    metrics: ACC, aggMetric: "acc = 100 * exact match",
    resultFiles: ["{split}_vqa_result.json", "{split}_caption_result.json", "{split}_gradcam_result.pth"], generationKeys: RC_KEYS, format: "vqa",
  },
  multimodal_classification: {
    metrics: ACC, aggMetric: "acc = mean(prediction == target), a fraction", resultFiles: ["{split}_epoch{epoch}.json"],
    generationKeys: ["max_len", "min_len", "length_penalty", "segments"], format: "classification",
  },
  dialogue: { metrics: ["agg_metrics"], aggMetric: "mean validation loss", resultFiles: [], generationKeys: ["num_beams", "max_len", "min_len"], format: "caption" },
  image_text_pretrain: { metrics: [], aggMetric: null, resultFiles: [], generationKeys: [], format: "caption" },
  "text-to-image-generation": { metrics: [], aggMetric: null, resultFiles: [], generationKeys: [], format: "caption" },
  // lavisc's own task (stdlib/lavisc_feature_extraction.lv, src/runtime/models/blipFeatureExtraction.ts).
  feature_extraction: {
    metrics: RECALLS,
    aggMetric: "txt_r_mean of ITC retrieval (no ITM re-ranking) on a retrieval split; 0 on other splits",
    resultFiles: ["{split}_features.safetensors", "{split}_features.json"],
    generationKeys: [],
  },
};

/** Tasks whose evaluation generates text with beam search (num_beams, max_len, min_len matter). */
export function generatesText(task: string, runValues: Readonly<Record<string, unknown>>): boolean {
  if (task === "captioning" || task === "dialogue") return true;
  const facts = TASK_FACTS[task];
  // VQA-family tasks rank candidate answers unless inference_method is "generate".
  return !!facts && facts.format === "vqa" && runValues["inference_method"] === "generate";
}

/** Losses the model computes in its training forward pass, by architecture (LAVIS's `forward` of each model class). */
export function lossesOf(arch: string): readonly string[] {
  if (arch === "blip_retrieval" || arch === "albef_retrieval" || arch === "alpro_retrieval") return ["loss_itc", "loss_itm"];
  if (arch === "blip_pretrain" || arch === "blip2" || arch === "blip2_feature_extractor" || arch === "blip2_image_text_matching") return ["loss_itc", "loss_itm", "loss_lm"];
  if (arch === "albef_pretrain") return ["loss_itc", "loss_itm", "loss_mlm"];
  if (arch === "blip_caption" || arch.startsWith("blip2_opt") || arch.startsWith("blip2_t5") || arch.startsWith("blip2_vicuna") || arch === "gpt_dialogue") return ["loss_lm"];
  if (arch === "blip_vqa" || arch === "albef_vqa" || arch === "alpro_qa") return ["loss_vqa"];
  if (arch.endsWith("_classification") || arch.endsWith("_nlvr")) return ["loss_cls"];
  return ["loss"];
}
