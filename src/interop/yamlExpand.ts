import type { Document, Node as YNode, Pair, YAMLMap } from "yaml";
import { flatten } from "../semantic/flatString.js";
import { AliasResolver } from "../semantic/yamlAliases.js";

// Before migrate writes a YAML document as `.lv`, its aliases become copies of what they name and its merge keys
// (`<<`) the entries OmegaConf's loader would give the mapping (PyYAML's flatten_mapping: merged entries first, of a
// list the first mapping wins, the mapping's own keys override). The caller has checked the file first, so a
// "billion laughs" or a recursive alias never gets here (LV1013, LV1014); a merge key that names the mapping it is in
// does (the check reads it as OmegaConf does), and merges nothing.

/** Flattens every scalar's text of a freshly parsed document (see `flatten`). */
export function flattenScalars(doc: Document.Parsed, y: typeof import("yaml")): void {
  y.visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === "string") flatten(node.value);
    },
  });
}

/** Expands the aliases and merge keys of a freshly parsed document, in place. */
export function expandAliasesAndMerges(doc: Document.Parsed, y: typeof import("yaml")): void {
  const aliases = new AliasResolver(doc, y);
  const resolveAlias = (n: YNode | null): YNode | null => (n && y.isAlias(n) ? (aliases.target(n) ?? null) : n);

  const expand = (node: YNode | null): YNode | null => {
    if (!node) return node;
    if (y.isAlias(node)) {
      const target = resolveAlias(node);
      return target ? expand(target.clone() as YNode) : null;
    }
    if (y.isSeq(node)) {
      node.items = node.items.map((i) => expand(i as YNode | null));
      return node;
    }
    if (y.isMap(node)) {
      expandMap(node as YAMLMap);
      return node;
    }
    return node;
  };

  const isMergeKey = (k: unknown): boolean => !!k && y.isScalar(k) && k.type === y.Scalar.PLAIN && k.value === "<<" && !k.tag;

  /** Mappings whose pairs are being merged, by their node in the document (not the copies). */
  const merging = new Set<YNode>();
  /**
   * A mapping's pairs after its own merges, as copies. A merge that comes back to a mapping already being merged
   * (`a: &x {b: 1, <<: *x}`) brings nothing more, as PyYAML's flatten_mapping, which drops a merge key before it
   * follows it, gives (OmegaConf reads {b: 1}); following it again would never end.
   */
  const pairsOf = (n: YNode | null): Pair[] => {
    const target = resolveAlias(n);
    if (!target || !y.isMap(target)) return []; // not a mapping: reported by the check (LV1016)
    if (merging.has(target)) return [];
    merging.add(target);
    try {
      const copy = target.clone() as YAMLMap;
      expandMap(copy);
      return copy.items as Pair[];
    } finally {
      merging.delete(target);
    }
  };

  const expandMap = (map: YAMLMap): void => {
    const merged: Pair[] = [];
    const own: Pair[] = [];
    for (const pair of map.items as Pair[]) {
      if (isMergeKey(pair.key)) {
        const value = resolveAlias(pair.value as YNode | null);
        if (value && y.isSeq(value)) merged.push(...(value.items as (YNode | null)[]).map(pairsOf).reverse().flat());
        else merged.push(...pairsOf(pair.value as YNode | null));
      } else {
        pair.value = expand(pair.value as YNode | null);
        own.push(pair);
      }
    }
    if (merged.length === 0 && own.length === map.items.length) return;
    // Later pairs override earlier ones at the earlier one's place, as a Python dict does.
    const byKey = new Map<string, Pair>();
    for (const p of [...merged, ...own]) byKey.set(keyText(p), p);
    map.items = [...byKey.values()];
  };

  doc.contents = expand(doc.contents as YNode | null) as typeof doc.contents;
}

function keyText(pair: Pair): string {
  const k = pair.key as { value?: unknown } | null;
  return k && typeof k === "object" && "value" in k ? String(k.value ?? "null") : String(k);
}
