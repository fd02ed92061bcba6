import type { Diagnostic } from "../diagnostics/index.js";
import type { Resolved } from "../semantic/resolve.js";
import { createContext, type Rule } from "./context.js";
import { rulesFor } from "./rules/index.js";

/**
 * Runs the rules over a resolved experiment (by default, the rules of its role: a project, a default file, ...).
 * `env`: the environment of the command (its host's), whose data roots local annotation files are counted under.
 */
export function check(resolved: Resolved, rules: readonly Rule[] = rulesFor(resolved.input.role), env: NodeJS.ProcessEnv = process.env): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx = createContext(resolved, out, env);
  for (const rule of rules) rule(ctx);
  return mergeSameFinding(out);
}

/**
 * One finding, one diagnostic: when two rules report the same code at the same key and place (a required field and
 * a stdlib check that it is set), the first stays and gains the second's related locations.
 */
function mergeSameFinding(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const byKey = new Map<string, number>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const key = d.path ? `${d.code}|${d.path}|${d.span?.file}|${d.span?.start}` : null;
    const at = key === null ? undefined : byKey.get(key);
    if (at === undefined) {
      if (key !== null) byKey.set(key, out.length);
      out.push(d);
      continue;
    }
    const first = out[at]!;
    const related = [...first.related, ...d.related.filter((r) => !first.related.some((f) => f.span.file === r.span.file && f.span.start === r.span.start))];
    out[at] = { ...first, related };
  }
  return out;
}
