// Text helpers of blip_caption: decoder inputs and targets as BlipCaption.forward_decoder builds them, the task's
// generation settings (LAVIS names, resolved from the stdlib).
import type { Encoded } from "../nn/tokenizer.js";
import { taskInt, taskNumber } from "./taskParams.js";

export interface GenerationParams {
  readonly numBeams: number;
  readonly maxLen: number;
  readonly minLen: number;
  readonly repetitionPenalty: number;
  readonly lengthPenalty: number;
  readonly reportMetric: boolean;
}

/**
 * The captioning task's generation settings (stdlib/tasks.lv `task captioning`, resolved by the compiler), where the
 * arch's generate takes no such argument the value it generates with (stdlib/evaluation.lv `generate_fixed`:
 * blip_caption's length_penalty is HF's 1.0 whatever the recipe says).
 */
export function readGenerationParams(tp: Readonly<Record<string, unknown>>): GenerationParams {
  return { ...readBeamSettings(tp), reportMetric: tp["report_metric"] !== false };
}

/** The beam-search settings of a generating task (RunSpec.taskParams), shared by captioning and VQA's generate. */
export interface BeamSettings { numBeams: number; maxLen: number; minLen: number; repetitionPenalty: number; lengthPenalty: number }

export function readBeamSettings(tp: Readonly<Record<string, unknown>>): BeamSettings {
  return {
    numBeams: taskInt(tp, "num_beams", 1),
    maxLen: taskInt(tp, "max_len", 1),
    minLen: taskInt(tp, "min_len", 0),
    repetitionPenalty: taskNumber(tp, "repetition_penalty", (v) => v > 0),
    lengthPenalty: taskNumber(tp, "length_penalty", () => true),
  };
}

export interface LmTargets {
  /** Sequence length after padding="longest". */
  readonly t: number;
  /** [B, t] input ids with the first token replaced by bos ([DEC]); [B, t] 0/1 mask. */
  readonly ids: Int32Array;
  readonly mask: Float32Array;
  /** [B, t-1]: position j predicts token j+1 (BertLMHeadModel's shift); weight 0 = ignored (-100). */
  readonly labels: Int32Array;
  readonly weights: Float32Array;
}

/** Pads and the first `promptLength` targets (bos + prompt tokens) are not scored, as decoder_targets[:, :prompt_length] = -100. */
export function lmTargets(enc: Encoded, bosId: number, promptLength: number): LmTargets {
  const bs = enc.batch;
  let t = 2;
  for (let b = 0; b < bs; b++) {
    let n = 0;
    for (let j = 0; j < enc.maxLen; j++) n += enc.mask[b * enc.maxLen + j]!;
    t = Math.max(t, n);
  }
  const ids = new Int32Array(bs * t);
  const mask = new Float32Array(bs * t);
  const labels = new Int32Array(bs * (t - 1));
  const weights = new Float32Array(bs * (t - 1));
  for (let b = 0; b < bs; b++) {
    for (let j = 0; j < t; j++) {
      ids[b * t + j] = j === 0 ? bosId : enc.ids[b * enc.maxLen + j]!;
      mask[b * t + j] = enc.mask[b * enc.maxLen + j]!;
    }
    for (let j = 0; j + 1 < t; j++) {
      labels[b * (t - 1) + j] = ids[b * t + j + 1]!;
      weights[b * (t - 1) + j] = mask[b * t + j + 1]! > 0 && j + 1 >= promptLength ? 1 : 0;
    }
  }
  return { t, ids, mask, labels, weights };
}
