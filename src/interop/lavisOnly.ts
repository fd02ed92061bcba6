// What of a resolved experiment LAVIS cannot run at all (as opposed to lavisc's model types, which export and fail
// to load in LAVIS with its own message): a lavisc-only task (`lavisc_only = "..."` in the stdlib).
import { diag, type Diagnostic } from "../diagnostics/index.js";
import type { Resolved } from "../semantic/resolve.js";
import { createContext } from "../checker/context.js";

/** LV4018 when the experiment's task is lavisc's own; `action` completes "cannot be …" ("exported", "run with LAVIS"). */
export function lavisOnlyDiagnostics(resolved: Resolved, action: string): Diagnostic[] {
  const task = resolved.task;
  const instead = task?.meta.get("lavisc_only")?.value;
  if (!task || !instead) return [];
  return [diag("LV4018", createContext(resolved, [], {}).spanFor(["run", "task"]), { task: task.name, action }, {
    path: "run.task",
    hint: instead.kind === "StringLit" ? `${instead.value}.` : null,
  })];
}
