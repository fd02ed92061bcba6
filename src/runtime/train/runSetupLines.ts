// What the run's log says about its setup that no config value shows: where the tokenizer's vocabulary came from
// and how many threads decode its images (never silent: `lavisc plan` says the same before the run).
import { DEFAULT_DECODE_WORKERS, type RunSpec } from "../runSpec.js";
import type { PreparedRun } from "./runSetup.js";

/** "vocabulary: 412 tokens, built from the training texts (...)": its source and size. */
export function vocabularyLine(spec: RunSpec, prepared: Pick<PreparedRun, "vocab" | "vocabSource" | "resume">): string {
  const size = `${prepared.vocab.length} tokens`;
  if (prepared.vocabSource === "checkpoint") {
    const from = prepared.resume ? spec.resumeCkptPath : spec.model.loadWeights;
    return `vocabulary: ${size}, the one saved in ${from ?? "the checkpoint"} (a lavisc checkpoint keeps the vocabulary it was trained with)`;
  }
  if (prepared.vocabSource === "file") return `vocabulary: ${size}, from model.vocab_file ${String(spec.model.config["vocab_file"])}`;
  const cap = spec.model.config["vocab_size"];
  return `vocabulary: ${size}, a WordPiece vocabulary built from the training texts (model.vocab_file is null${typeof cap === "number" ? `; at most vocab_size ${cap}` : ""}; \`lavisc data vocab\` writes it to a file)`;
}

/** "image decoding: 1 worker thread (...)", naming `run.num_workers` as LAVIS's own setting; null when not known. */
export function decodingLine(spec: RunSpec, workers: number | undefined): string | null {
  if (workers === undefined) return null;
  const world = spec.worldSize ?? 1;
  const threads = workers === 0 ? "on the main thread (--workers 0)" : `${workers} worker thread${workers === 1 ? "" : "s"}${world > 1 ? " for each replica" : ""} (lavisc run --workers N; default ${DEFAULT_DECODE_WORKERS})`;
  const run = spec.config["run"];
  const numWorkers = run && typeof run === "object" ? (run as Record<string, unknown>)["num_workers"] : undefined;
  return `image decoding: ${threads}${numWorkers === undefined ? "" : `; run.num_workers ${String(numWorkers)} is LAVIS's DataLoader worker processes per GPU, which the tfjs engine does not read`}`;
}
