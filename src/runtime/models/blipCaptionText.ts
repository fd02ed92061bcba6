// Text helpers of blip_caption: the task's generation settings (LAVIS names and CaptionTask fallbacks) and BERT's
// decode(skip_special_tokens=True) with clean_up_tokenization_spaces.
import type { WordPieceTokenizer } from "../nn/tokenizer.js";
import { SPECIAL_TOKENS } from "../nn/tokenizer.js";

export interface GenerationParams {
  readonly numBeams: number;
  readonly maxLen: number;
  readonly minLen: number;
  readonly repetitionPenalty: number;
  readonly lengthPenalty: number;
  readonly reportMetric: boolean;
}

/** CaptionTask.setup_task: num_beams 5, max_len 30, min_len 1, repetition_penalty 1.15, length_penalty 0, report_metric True. */
export function readGenerationParams(raw: Readonly<Record<string, unknown>>): GenerationParams {
  const num = (key: string, dflt: number, ok: (v: number) => boolean): number => {
    const v = raw[key];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) throw new Error(`bug: run.${key} = ${JSON.stringify(v)} passed the checker`);
    return v;
  };
  return {
    numBeams: num("num_beams", 5, (v) => Number.isInteger(v) && v >= 1),
    maxLen: num("max_len", 30, (v) => Number.isInteger(v) && v >= 1),
    minLen: num("min_len", 1, (v) => Number.isInteger(v) && v >= 0),
    repetitionPenalty: num("repetition_penalty", 1.15, (v) => v > 0),
    lengthPenalty: num("length_penalty", 0, () => true),
    reportMetric: raw["report_metric"] !== false,
  };
}

const SKIPPED = new Set<string>(SPECIAL_TOKENS);

export function decodeCaption(tokenizer: WordPieceTokenizer, ids: readonly number[]): string {
  const tokens = ids.map((i) => tokenizer.vocab[i] ?? "[UNK]").filter((t) => !SKIPPED.has(t));
  return tokens
    .join(" ")
    .replace(/ ##/g, "")
    .trim()
    .replace(/ \./g, ".").replace(/ \?/g, "?").replace(/ !/g, "!").replace(/ ,/g, ",").replace(/ ' /g, "'")
    .replace(/ n't/g, "n't").replace(/ 'm/g, "'m").replace(/ 's/g, "'s").replace(/ 've/g, "'ve").replace(/ 're/g, "'re");
}
