import type { Diagnostic } from "../diagnostics/index.js";
import type { Resolved } from "../semantic/resolve.js";
import { createContext, type Rule } from "./context.js";
import { rulesFor } from "./rules/index.js";

/** Runs the rules over a resolved experiment (by default, the rules of its role: a project, a default file, ...). */
export function check(resolved: Resolved, rules: readonly Rule[] = rulesFor(resolved.input.role)): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx = createContext(resolved, out);
  for (const rule of rules) rule(ctx);
  return out;
}
