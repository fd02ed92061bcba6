import type { CMap, CNode } from "../semantic/configTree.js";
import type { Registry } from "../semantic/registry.js";

/**
 * The resolved `datasets` without the processor parameters that the named processor does not declare. They come from a
 * builder's default slot whose processor the experiment replaced (`blip_instruction`'s `modality` under `blip_question`):
 * LAVIS merges them back from the same default when it loads the export, and the processor ignores them, but written
 * out they would read as the user's own unknown keys (LV2001). Returns the tree (shared where nothing is left out) and
 * the paths left out. A processor the registry does not know keeps every key.
 */
export function withoutUnreadProcessorKeys(root: CMap, reg: Registry): { root: CMap; left: string[] } {
  const left: string[] = [];
  const datasets = root.entries.get("datasets");
  if (datasets?.kind !== "map") return { root, left };
  const prunedDatasets = mapEntries(datasets, (name, cfg) => mapEntries(cfg, (slot, slots) => {
    if (!slot.endsWith("_processor")) return slots;
    return mapEntries(slots, (split, proc) => {
      const pname = proc.kind === "map" ? proc.entries.get("name") : undefined;
      const schema = pname?.kind === "scalar" ? reg.processors.get(String(pname.value))?.schema : undefined;
      if (!schema || proc.kind !== "map") return proc;
      const unread = [...proc.entries.keys()].filter((k) => k !== "name" && !schema.fields.has(k));
      if (unread.length === 0) return proc;
      left.push(...unread.map((k) => ["datasets", name, slot, split, k].join(".")));
      return { ...proc, entries: new Map([...proc.entries].filter(([k]) => !unread.includes(k))) };
    });
  }));
  if (prunedDatasets === datasets) return { root, left };
  return { root: { ...root, entries: new Map([...root.entries].map(([k, v]) => [k, k === "datasets" ? prunedDatasets : v])) }, left };
}

/** A map with each entry's value replaced by `f`'s; the same object when `f` changed nothing (or it is not a map). */
function mapEntries(node: CNode, f: (key: string, value: CNode) => CNode): CNode {
  if (node.kind !== "map") return node;
  let changed = false;
  const entries = new Map<string, CNode>();
  for (const [k, v] of node.entries) {
    const nv = f(k, v);
    if (nv !== v) changed = true;
    entries.set(k, nv);
  }
  return changed ? { ...node, entries } : node;
}
