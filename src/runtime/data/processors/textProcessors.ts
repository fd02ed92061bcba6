// LAVIS's text processors (BlipCaptionProcessor.pre_caption, BlipQuestionProcessor.pre_question in
// lavis/processors/blip_processors.py), character for character. Their regular expressions are Python's: `\s` in
// `re.sub(r"\s{2,}", " ", caption)` is Python's whitespace (PY_WHITESPACE), not JavaScript's `\s`; the other patterns
// (the punctuation class, rstrip("\n"), strip(" "), rstrip(" "), split(" ")) name their characters and mean the same in
// both languages. str.lower() and toLowerCase() agree on every letter both Unicode versions (Python's unicodedata,
// Node's ICU) assign.
import type { ProcessorSpec } from "../../runSpec.js";
import { PY_WHITESPACE } from "../../pythonText.js";
import { UnsupportedProcessorError } from "./imageProcessors.js";

const PUNCTUATION = /([.!"()*#:;~])/g;
/** Python's `\s{2,}` on a str. */
const WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE}]{2,}`, "gu");

function truncateWords(text: string, maxWords: number): string {
  const words = text.split(" ");
  return words.length > maxWords ? words.slice(0, maxWords).join(" ") : text;
}

/** re.sub(punct, " ", lower) → collapse runs of whitespace → rstrip("\n") → strip(" ") → first max_words words. */
export function preCaption(caption: string, maxWords = 50): string {
  let c = caption.toLowerCase().replace(PUNCTUATION, " ");
  c = c.replace(WHITESPACE_RUN, " ");
  c = c.replace(/\n+$/, "");
  c = c.replace(/^ +| +$/g, "");
  return truncateWords(c, maxWords);
}

/** re.sub(punct, "", lower) → rstrip(" ") → first max_words words (questions keep inner whitespace as is). */
export function preQuestion(question: string, maxWords = 50): string {
  let q = question.toLowerCase().replace(PUNCTUATION, "");
  q = q.replace(/ +$/, "");
  return truncateWords(q, maxWords);
}

export type TextProcessor = (text: string) => string;

/** The text processor LAVIS registers under `spec.name`; an absent slot is LAVIS's identity BaseProcessor. */
export function createTextProcessor(spec: ProcessorSpec | undefined): TextProcessor {
  if (!spec) return (t) => t;
  const maxWords = spec.params["max_words"] ?? 50;
  if (typeof maxWords !== "number" || !Number.isInteger(maxWords) || maxWords < 0) {
    throw new UnsupportedProcessorError(`${spec.name}.max_words must be a non-negative integer, got ${JSON.stringify(maxWords)}`);
  }
  switch (spec.name) {
    case "blip_caption": {
      const prompt = spec.params["prompt"] ?? "";
      if (typeof prompt !== "string") throw new UnsupportedProcessorError(`${spec.name}.prompt must be a string`);
      return (t) => prompt + preCaption(t, maxWords);
    }
    case "blip_question":
      return (t) => preQuestion(t, maxWords);
    default:
      throw new UnsupportedProcessorError(`text processor "${spec.name}" is not supported by the lavisc runtime`);
  }
}

export const SUPPORTED_TEXT_PROCESSORS = ["blip_caption", "blip_question"] as const;
