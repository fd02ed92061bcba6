import type { Diagnostic, Span } from "../diagnostics/index.js";
import type { Resolved } from "../semantic/resolve.js";
import type { Registry } from "../semantic/registry.js";
import { getPath, type CNode, type CMap } from "../semantic/configTree.js";

/** What a rule sees: the resolved experiment, the registry, and a sink for diagnostics. */
export interface RuleContext {
  readonly resolved: Resolved;
  readonly registry: Registry;
  readonly root: CMap;
  report(d: Diagnostic): void;
  at(path: readonly string[]): CNode | undefined;
  /** True when the user wrote this value (in the file, something it extends, or an override). */
  isUserValue(node: CNode): boolean;
  /** The best place to point at for a path: the value, else its key, else the nearest written ancestor. */
  spanFor(path: readonly string[]): Span | null;
  /**
   * Paths whose value already has a type or range problem, or could not be computed (`Resolved.unresolvable`): later
   * rules stay quiet about them (no cascades).
   */
  readonly invalid: Set<string>;
  /** Section path in LAVIS's names: `run.min_len`. */
  dotted(path: readonly string[]): string;
  /** The environment the command runs with (the host's): the data roots local annotation files are counted under. */
  readonly env: NodeJS.ProcessEnv;
}

export type Rule = (ctx: RuleContext) => void;

export function createContext(resolved: Resolved, sink: Diagnostic[], env: NodeJS.ProcessEnv): RuleContext {
  const root = resolved.root;
  return {
    resolved,
    registry: resolved.registry,
    root,
    report: (d) => void sink.push(d),
    at: (p) => getPath(root, p),
    isUserValue: (n) => n.origin.kind === "file" || n.origin.kind === "override",
    spanFor(path) {
      for (let i = path.length; i >= 0; i--) {
        const n = getPath(root, path.slice(0, i));
        if (!n) continue;
        if (n.origin.kind === "file" || n.origin.kind === "override") {
          const s = i === path.length ? n.span ?? n.keySpan : n.keySpan ?? n.span;
          if (s) return s;
        }
      }
      return null;
    },
    invalid: new Set(resolved.unresolvable),
    dotted: (p) => p.join("."),
    env,
  };
}
