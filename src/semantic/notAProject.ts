import { basename } from "node:path";
import { diag, type Diagnostic } from "../diagnostics/index.js";
import { experimentSpan } from "./experimentSpan.js";
import { NOT_A_PROJECT, type FileRole } from "./fileRole.js";
import type { ExperimentInput } from "./resolve.js";

/**
 * LV2049: a default file, an inference config or YAML that is not LAVIS's, given to a command that needs a whole
 * experiment (`plan`, `graph`, `run`, `export`, `sweep`): what the file is and what to give instead, at its first key.
 */
export function notAProject(path: string, input: ExperimentInput, role: Exclude<FileRole, "project">, what: string): Diagnostic {
  const file = basename(path);
  const { is, instead } = NOT_A_PROJECT[role];
  return diag("LV2049", experimentSpan(input), { file, role: is, what, fix: instead.replace("{file}", file) });
}
