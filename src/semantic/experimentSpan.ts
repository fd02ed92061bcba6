import type { Span } from "../diagnostics/index.js";
import type { ExperimentInput } from "./resolve.js";

/**
 * Where to point at for what concerns the experiment as a whole (no task, a required value in a section the file does
 * not write, a file that is not a project): a `.lv` experiment's name, a YAML file's first key, else the file's start
 * (an empty file). Never null: such a diagnostic always has a line in the user's file.
 */
export function experimentSpan(input: Pick<ExperimentInput, "file" | "format" | "root">): Span {
  if (input.format === "lv" && input.root.keySpan) return input.root.keySpan;
  const first = input.root.entries.values().next().value;
  return first?.keySpan ?? { file: input.file, start: 0, end: 0 };
}
