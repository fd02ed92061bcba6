import { leaves, type CMap, type CNode } from "../semantic/configTree.js";

// Two resolved experiments compared by what they run: leaf by leaf in LAVIS's paths, whatever file or syntax set
// them. Numbers compare by value (LAVIS reads `min_lr: 0` and `min_lr: 0.0` alike); lists compare whole.

export interface Difference {
  readonly path: string;
  readonly kind: "changed" | "added" | "removed";
  readonly a: CNode | null;
  readonly b: CNode | null;
}

export function diffExperiments(a: CMap, b: CMap): Difference[] {
  const la = new Map([...leaves(a)].map(([p, n]) => [p.join("."), n] as const));
  const lb = new Map([...leaves(b)].map(([p, n]) => [p.join("."), n] as const));
  const out: Difference[] = [];
  for (const [path, n] of la) {
    const m = lb.get(path);
    if (!m) out.push({ path, kind: "removed", a: n, b: null });
    else if (!sameValue(n, m)) out.push({ path, kind: "changed", a: n, b: m });
  }
  for (const [path, m] of lb) if (!la.has(path)) out.push({ path, kind: "added", a: null, b: m });
  return out;
}

export function sameValue(x: CNode, y: CNode): boolean {
  if (x.kind === "scalar" && y.kind === "scalar") {
    if (typeof x.value === "number" && typeof y.value === "number") return x.value === y.value || (Number.isNaN(x.value) && Number.isNaN(y.value));
    return x.type === y.type && x.value === y.value;
  }
  if (x.kind === "list" && y.kind === "list") return x.items.length === y.items.length && x.items.every((v, i) => sameValue(v, y.items[i]!));
  if (x.kind === "map" && y.kind === "map") {
    if (x.entries.size !== y.entries.size) return false;
    for (const [k, v] of x.entries) {
      const w = y.entries.get(k);
      if (!w || !sameValue(v, w)) return false;
    }
    return true;
  }
  if (x.kind === "expr" && y.kind === "expr") return x.text === y.text;
  return false;
}
