import { leaves, type CMap } from "../semantic/configTree.js";
import { resolveExperiment, type ExperimentInput, type Resolved } from "../semantic/resolve.js";
import { codeDefaultDifferences } from "../semantic/facts.js";
import type { Registry } from "../semantic/registry.js";
import { canonicalText } from "./configCompare.js";

// `migrate --minimal`: the file layer without the values it would inherit anyway. A value is dropped only when the
// experiment resolved without it (and without every value dropped before it) is the same experiment, key for key,
// so the result resolves exactly as the file did, whatever the default (model, dataset, schema or derived), and only
// when the key does not then rely on a documented default LAVIS's code does not share.

/** Keys that choose defaults or name things: never dropped. */
function isIdentity(path: readonly string[]): boolean {
  const p = path.join(".");
  return p === "model.arch" || p === "model.model_type" || p === "run.task" || path.length <= 1 || (path[0] === "datasets" && path.length === 2);
}

export function minimalLayer(input: ExperimentInput, registry: Registry): CMap {
  const target = canonicalText(resolveExperiment(input, registry).root);
  let current = input.root;
  for (const [path] of [...leaves(input.root)]) {
    if (isIdentity(path)) continue;
    const candidate = without(current, path);
    if (candidate === current) continue;
    const resolved = resolveExperiment({ ...input, root: candidate }, registry);
    if (canonicalText(resolved.root) === target && !leftToDocumentedDefault(resolved, path)) current = candidate;
  }
  return current;
}

/**
 * Would the key fall to LAVIS's code fallback (which only a YAML takes: a `.lv` without the key takes lavisc's
 * documented default), or to a documented default LAVIS's code does not share (LV4019)? Then the value stays: without
 * it the `.lv` would mean something else, or warn, and its export would no longer match what LAVIS did.
 */
function leftToDocumentedDefault(resolved: Resolved, path: readonly string[]): boolean {
  const p = path.join(".");
  return codeDefaultDifferences(resolved).some((d) => d.path.join(".") === p);
}

/** The tree without the value at `path`; maps it leaves empty go too (except sections and dataset entries). */
function without(root: CMap, path: readonly string[]): CMap {
  const go = (node: CMap, depth: number): CMap | null => {
    const key = path[depth]!;
    const child = node.entries.get(key);
    if (child === undefined) return node;
    const entries = new Map(node.entries);
    if (depth === path.length - 1) entries.delete(key);
    else {
      if (child.kind !== "map") return node;
      const next = go(child, depth + 1);
      if (next === child) return node;
      if (next === null) entries.delete(key);
      else entries.set(key, next);
    }
    const keepEmpty = depth < 1 || (path[0] === "datasets" && depth === 1);
    return entries.size === 0 && !keepEmpty ? null : { ...node, entries };
  };
  return go(root, 0) ?? root;
}
