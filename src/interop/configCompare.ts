import type { CNode } from "../semantic/configTree.js";
import { pythonFloat } from "../semantic/valueText.js";

// Value equality of resolved configurations as OmegaConf sees them: maps compare key by key whatever their order,
// lists item by item, scalars by type and value (int 1 and float 1.0 differ, as they do in Python's repr).

/** A canonical, order-independent text of a value: equal texts mean equal configurations. */
export function canonicalText(n: CNode | undefined): string {
  if (!n) return "undefined";
  switch (n.kind) {
    case "scalar":
      return scalarKey(n.type, n.value);
    case "list":
      return `[${n.items.map(canonicalText).join(",")}]`;
    case "map":
      return `{${[...n.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalText(v)}`).join(",")}}`;
    case "expr":
      return `expr(${n.text})`;
  }
}

function scalarKey(type: string, value: unknown): string {
  if (type === "float") return `f:${pythonFloat(value as number)}`;
  if (type === "int") return `i:${String(value)}`;
  return JSON.stringify(value);
}

/** A JSON value with int/float kept apart: floats become `{"$float": repr}`, which is what the Python side emits. */
export type TypedJson = null | boolean | string | number | { $float: string } | TypedJson[] | { [k: string]: TypedJson };

export function typedJson(n: CNode | undefined): TypedJson {
  if (!n) return null;
  switch (n.kind) {
    case "scalar":
      return n.type === "float" ? { $float: pythonFloat(n.value as number) } : (n.value as TypedJson);
    case "list":
      return n.items.map(typedJson);
    case "map":
      return Object.fromEntries([...n.entries].map(([k, v]) => [k, typedJson(v)]));
    case "expr":
      return null;
  }
}

/** Dotted-path leaves of a typed JSON value (empty maps and lists are leaves), for readable comparisons. */
export function typedLeaves(v: TypedJson, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (v !== null && typeof v === "object" && !Array.isArray(v) && !("$float" in v && Object.keys(v).length === 1)) {
    const keys = Object.keys(v);
    if (keys.length === 0) out.set(prefix, "{}");
    for (const k of keys) typedLeaves((v as Record<string, TypedJson>)[k]!, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  out.set(prefix, typedText(v));
  return out;
}

function typedText(v: TypedJson): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `[${v.map(typedText).join(", ")}]`;
  if (typeof v === "object") {
    if ("$float" in v && Object.keys(v).length === 1) return String(v.$float);
    return `{${Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${k}: ${typedText(x)}`).join(", ")}}`;
  }
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/** Differences between two typed values, one line per leaf: `path: a → b`; empty when equal. */
export function typedDifferences(a: TypedJson, b: TypedJson): string[] {
  const la = typedLeaves(a), lb = typedLeaves(b);
  const out: string[] = [];
  for (const [k, v] of la) {
    const w = lb.get(k);
    if (w === undefined) out.push(`${k}: ${v} → (absent)`);
    else if (w !== v) out.push(`${k}: ${v} → ${w}`);
  }
  for (const [k, w] of lb) if (!la.has(k)) out.push(`${k}: (absent) → ${w}`);
  return out;
}
