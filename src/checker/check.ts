import type { Diagnostic } from "../diagnostics/index.js";
import type { Resolved } from "../semantic/resolve.js";
import { createContext, type Rule } from "./context.js";
import { specifiedRules } from "./rules/index.js";

/** Runs the rules over a resolved experiment. */
export function check(resolved: Resolved, rules: readonly Rule[] = specifiedRules): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx = createContext(resolved, out);
  for (const rule of rules) rule(ctx);
  return out;
}
