import type { CMap, CNode } from "../semantic/configTree.js";
import { exprText } from "../semantic/exprText.js";
import { isLvName, lvFloat, lvInt, lvKey, lvString } from "../interop/lvText.js";
import type { PyValue } from "./pythonValue.js";

// Values as `.lv` source: a default file's tree becomes the members of a `type` clause (processor slots as tagged
// objects, as the stdlib writes them), a code default becomes a field default. The formatter lays the text out.

/** A scalar, list or map as an expression. */
export function nodeText(n: CNode): string {
  switch (n.kind) {
    case "scalar":
      if (n.type === "null") return "null";
      if (n.type === "bool") return String(n.value);
      if (n.type === "int") return lvInt(n.value as number);
      if (n.type === "float") return lvFloat(n.value as number) ?? lvString(String(n.value));
      return lvString(String(n.value));
    case "list":
      return `[${n.items.map(nodeText).join(", ")}]`;
    case "map":
      return n.entries.size ? `{ ${[...n.entries].map(([k, v]) => `${lvKey(k)} = ${nodeText(v)}`).join(", ")} }` : "{}";
    case "expr":
      return exprText(n.expr);
  }
}

/**
 * The members of a map, one per line; a `<x>_processor` slot's processors are `train = name { params }`, or the map
 * itself (`train = { name = "...", ... }`) when the name is not one `.lv` can write bare (`"x" { }` does not parse).
 */
export function memberLines(map: CMap, skip: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const [k, v] of map.entries) {
    if (skip.has(k)) continue;
    if (v.kind === "map" && k.endsWith("_processor")) out.push(`${lvKey(k)} {`, ...processorSlots(v), "}");
    else if (v.kind === "map" && v.entries.size) out.push(`${lvKey(k)} {`, ...memberLines(v), "}");
    else out.push(`${lvKey(k)} = ${nodeText(v)}`);
  }
  return out;
}

function processorSlots(slots: CMap): string[] {
  const out: string[] = [];
  for (const [split, proc] of slots.entries) {
    const name = proc.kind === "map" ? proc.entries.get("name") : undefined;
    if (proc.kind === "map" && name?.kind === "scalar" && typeof name.value === "string" && isLvName(name.value)) {
      const params = [...proc.entries].filter(([k]) => k !== "name").map(([k, v]) => `${lvKey(k)} = ${nodeText(v)}`);
      out.push(`${lvKey(split)} = ${name.value} {${params.length ? ` ${params.join(", ")} ` : ""}}`);
    } else out.push(`${lvKey(split)} = ${nodeText(proc)}`);
  }
  return out;
}

/** A Python default as an `.lv` expression, or null when it has no literal spelling. */
export function pyDefaultText(v: PyValue): string | null {
  switch (v.k) {
    case "str": return lvString(v.v);
    case "int": return lvInt(v.v);
    case "float": return lvFloat(v.v) ?? null;
    case "bool": return String(v.v);
    case "none": return "null";
    case "list": {
      const items = v.items.map(pyDefaultText);
      return items.every((i) => i !== null) ? `[${items.join(", ")}]` : null;
    }
    case "dict": {
      const parts = [...v.entries].map(([k, x]) => [k, pyDefaultText(x)] as const);
      return parts.every(([, x]) => x !== null) ? (parts.length ? `{ ${parts.map(([k, x]) => `${lvKey(k)} = ${x}`).join(", ")} }` : "{}") : null;
    }
    case "unknown": return null;
  }
}
