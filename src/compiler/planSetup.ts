// Lines of `lavisc plan` for what the run sets up that no config value shows (never silent): the threads that decode
// its images and where its tokenizer's vocabulary will come from. The run's log says the same, with the vocabulary's
// size (runtime/train/runSetupLines.ts).
import { existsSync, readFileSync } from "node:fs";
import { DEFAULT_DECODE_WORKERS, type RunSpec } from "../runtime/runSpec.js";

/** "image decoding: ..." for `lavisc run` without `--workers`. */
export function decodingPlan(run: RunSpec): string {
  const world = run.worldSize ?? 1;
  const numWorkers = (run.config["run"] as Record<string, unknown> | undefined)?.["num_workers"];
  const lavis = numWorkers === undefined ? "" : `; run.num_workers ${String(numWorkers)} is LAVIS's DataLoader worker processes per GPU, which the tfjs engine does not read`;
  return `image decoding: ${DEFAULT_DECODE_WORKERS} worker thread${DEFAULT_DECODE_WORKERS === 1 ? "" : "s"}${world > 1 ? " for each replica" : ""} (the default of lavisc run; --workers N changes it, 0 decodes on the main thread)${lavis}`;
}

/** "vocabulary: ..." (its source, and its size where a local vocab_file gives it). */
export function vocabularyPlan(run: RunSpec): string {
  const m = run.model.config;
  const checkpoint = run.resumeCkptPath ?? (run.model.loadWeights?.endsWith(".json") ? run.model.loadWeights : null);
  const first = checkpoint ? `the one saved in ${checkpoint} when it holds one (a lavisc checkpoint does), else ` : "";
  const file = typeof m["vocab_file"] === "string" && m["vocab_file"] !== "" ? m["vocab_file"] : null;
  if (file) return `vocabulary: ${first}model.vocab_file ${file}${existsSync(file) ? ` (${lineCount(file)} lines)` : " (not found here)"}`;
  const cap = typeof m["vocab_size"] === "number" ? `, at most vocab_size ${m["vocab_size"]} tokens` : "";
  return `vocabulary: ${first}a WordPiece vocabulary built from the training texts when the run starts (model.vocab_file is null${cap}; the run log gives its size)`;
}

function lineCount(path: string): number {
  try {
    return readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "").length;
  } catch {
    return 0;
  }
}
