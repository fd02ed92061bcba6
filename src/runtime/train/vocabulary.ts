// The run's tokenizer vocabulary: a lavisc checkpoint's, a vocab.txt (`model.vocab_file`), or one built from the
// training texts. `lavisc data vocab` writes the built one with the same functions, so setting `vocab_file` to its
// output gives the same tokenizer as leaving it null.
import { existsSync, readFileSync } from "node:fs";
import type { RunSpec } from "../runSpec.js";
import { WordPieceTokenizer, buildVocab } from "../nn/tokenizer.js";
import type { ModelTextSettings } from "../models/index.js";
import type { SampleRecord } from "../data/annotations.js";
import { REQUIRED_TOKENS } from "../checkpoint/checkpointFields.js";

/** The texts of one training split a vocabulary is built from: each record's processed text and its VQA answers. */
export function trainingTexts(records: readonly SampleRecord[]): string[] {
  // VQA answers join the texts: the answer decoder must be able to spell them.
  return records.flatMap((r) => [r.text, ...(r.answers ?? [])]);
}

export interface BuiltVocabOptions {
  /** Upper bound on the size (default: the model's vocab_size). */
  readonly size?: number;
  /** Keep words seen at least this often (default 1). */
  readonly minCount?: number;
}

/** The vocabulary the runtime builds from training texts when `model.vocab_file` is null. */
export function vocabularyFromTexts(texts: Iterable<string>, settings: Pick<ModelTextSettings, "vocabSize">, o: BuiltVocabOptions = {}): string[] {
  return buildVocab(texts, { maxSize: o.size ?? settings.vocabSize, ...(o.minCount !== undefined ? { minFreq: o.minCount } : {}) });
}

/** The tokens of a vocab.txt as the runtime reads `model.vocab_file` (with the arch's added tokens). */
export function vocabularyFromFile(path: string, settings: Pick<ModelTextSettings, "addedTokens">): readonly string[] {
  return WordPieceTokenizer.vocabTextTokens(readFileSync(path, "utf8"), settings.addedTokens);
}

export type VocabularyChoice = { ok: true; vocab: readonly string[]; source: "checkpoint" | "file" | "built" } | { ok: false; error: string };

/**
 * The runner's choice: a lavisc checkpoint's vocabulary, else `model.vocab_file`, else one built from `texts()` (the
 * training splits' texts; only read when needed).
 */
export function chooseVocabulary(settings: ModelTextSettings, checkpointVocab: readonly string[] | null, texts: () => string[]): VocabularyChoice {
  if (checkpointVocab) return { ok: true, vocab: checkpointVocab, source: "checkpoint" };
  if (settings.vocabFile) {
    if (!existsSync(settings.vocabFile)) return { ok: false, error: `model.vocab_file ${settings.vocabFile} not found` };
    const vocab = vocabularyFromFile(settings.vocabFile, settings);
    const missing = REQUIRED_TOKENS.filter((t) => !vocab.includes(t));
    // The tokenizer cannot encode without them; a file lacking them is not a BERT vocab.txt.
    if (missing.length) return { ok: false, error: `model.vocab_file ${settings.vocabFile} lacks ${missing.join(", ")}, which the tokenizer needs: it is not a BERT WordPiece vocab.txt; use bert-base-uncased's vocab.txt, or leave vocab_file null to build a vocabulary from the training texts` };
    return { ok: true, vocab, source: "file" };
  }
  const all = texts();
  if (!all.length) return { ok: false, error: "no vocabulary: set model.vocab_file, load weights saved by lavisc, or train on a split with captions" };
  return { ok: true, vocab: vocabularyFromTexts(all, settings), source: "built" };
}

/** The (dataset, split) pairs the runner trains on, in its order. */
export function trainingSplits(spec: Pick<RunSpec, "datasets" | "trainSplits">): { dataset: RunSpec["datasets"][number]; split: string }[] {
  return spec.datasets.flatMap((dataset) => spec.trainSplits.filter((split) => dataset.splits.some((s) => s.split === split)).map((split) => ({ dataset, split })));
}
