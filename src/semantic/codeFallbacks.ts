import { getPath, type CNode, type Origin } from "./configTree.js";
import type { Resolved } from "./resolve.js";
import { blockOf, memberOf, validSplitLookup } from "../checker/rules/contractData.js";
import { codeDefaultDifferences } from "./facts.js";

// What LAVIS's code falls back to for a key nothing gives (the stdlib's `code_defaults { ... }` blocks), where that
// differs from lavisc's documented default. A LAVIS YAML means what LAVIS does with it, so a YAML project that leaves
// such a key out takes LAVIS's value (`run.test_splits` [], captioning's max_len 30, ...), with an origin that says
// so; a `.lv` takes lavisc's documented default and warning LV4019 names both.

/**
 * Is LAVIS's code fallback for the key no value that can be written? Such a key keeps lavisc's documented default, and
 * its LV4019 warning. Two kinds: a key whose absence the runner reads as something no value says (`absent_is_not_a_value`:
 * RunnerBase still trains on `train` when `train_splits` is left out, unshuffled), and a key LAVIS reads with two
 * fallbacks: a task that looks up validation splits when `valid_splits` is not set (`valid_split_lookup { absent =
 * [val] }`: VQATask takes its answer list from val) while RunnerBase validates none, so `[]` would leave the task
 * without its answer list (LV4075).
 */
export function absentIsNotAValue(resolved: Resolved, path: readonly string[], code: CNode): boolean {
  const { registry: reg, task } = resolved;
  if (absentReading(resolved, path) !== null) return true;
  if (path.join(".") !== "run.valid_splits" || !task) return false;
  const absent = validSplitLookup(reg, task.name);
  return absent !== null && !(code.kind === "list" && code.items.length === absent.length
    && code.items.every((x, i) => x.kind === "scalar" && x.value === absent[i]));
}

const ABSENT_IS_NOT_A_VALUE = "absent_is_not_a_value";

/** What LAVIS's code does when a run key is left out, where no value says it (`absent_is_not_a_value`), or null. */
export function absentReading(resolved: Resolved, path: readonly string[]): string | null {
  if (path[0] !== "run" || path.length !== 2) return null;
  const runner = getPath(resolved.root, ["run", "runner"]);
  for (const e of [resolved.task, resolved.registry.runners.get(runner?.kind === "scalar" ? String(runner.value) : "")]) {
    const said = memberOf(blockOf(e ?? undefined, ABSENT_IS_NOT_A_VALUE), path[1]!);
    if (said && said.kind === "StringLit") return said.value;
  }
  return null;
}

/**
 * Replaces, in a resolved YAML project, each documented default that LAVIS's code does not share (`codeDefaultDifferences`,
 * warning LV4019 for a `.lv`) with LAVIS's value, whose origin (`code-default`) keeps the documented one. A key LAVIS
 * reads two ways keeps the documented default. Returns the paths replaced.
 */
export function takeCodeFallbacks(resolved: Resolved, modelDefaultsLoaded: boolean): string[] {
  const replaced: string[] = [];
  for (const d of codeDefaultDifferences(resolved)) {
    if (d.taken === "code") continue;
    if ((d.path[0] === "model" && !modelDefaultsLoaded) || absentIsNotAValue(resolved, d.path, d.code)) continue;
    const parent = getPath(resolved.root, d.path.slice(0, -1));
    if (parent?.kind !== "map") continue;
    const origin: Origin = { kind: "code-default", span: d.declared, from: d.owner, documented: d.documented };
    parent.entries.set(d.path.at(-1)!, withOrigin(d.code, origin, d.documented));
    replaced.push(d.path.join("."));
  }
  return replaced;
}

/** A value with every node's origin set (a list's items too), at the documented default's place in the file. */
function withOrigin(node: CNode, origin: Origin, at: CNode): CNode {
  if (node.kind === "list") return { ...node, origin, span: at.span, keySpan: at.keySpan, items: node.items.map((i) => withOrigin(i, origin, i)) };
  if (node.kind === "map") return { ...node, origin, span: at.span, keySpan: at.keySpan, entries: new Map([...node.entries].map(([k, v]) => [k, withOrigin(v, origin, v)])) };
  return { ...node, origin, span: at.span, keySpan: at.keySpan } as CNode;
}
