import type { ScalarType } from "./configTree.js";
import { INT_PATTERN, parseYamlInt } from "./yamlNumbers.js";

// Explicit YAML tags as OmegaConf's loader (PyYAML's SafeLoader) constructs them: the standard scalar tags convert the
// text, `!!map`/`!!seq` are plain collections, and anything else (`!!python/object:...`, `!custom`) is refused, so
// lavisc refuses it too rather than dropping the tag.

const STD = "tag:yaml.org,2002:";

export type TagResult =
  | { readonly kind: "plain" }
  | { readonly kind: "scalar"; readonly type: ScalarType; readonly value: string | number | boolean | null }
  | { readonly kind: "refused"; readonly detail: string }
  | { readonly kind: "unsupported"; readonly feature: string };

const BOOLS: Record<string, boolean> = { yes: true, no: false, true: true, false: false, on: true, off: false };

/** Shorthand for messages: `tag:yaml.org,2002:int` is written `!!int`. */
export function tagName(tag: string): string {
  return tag.startsWith(STD) ? `!!${tag.slice(STD.length)}` : tag;
}

/** What a tag does to a node of this kind (`text` is a scalar's source value). */
export function applyTag(tag: string | undefined, nodeKind: "scalar" | "map" | "seq", text: string): TagResult {
  // No tag, or the non-specific `!` (PyYAML resolves the value as if untagged).
  if (!tag || tag === "!") return { kind: "plain" };
  const name = tag.startsWith(STD) ? tag.slice(STD.length) : null;
  const refused = (why: string): TagResult => ({ kind: "refused", detail: why });
  if (name === "map" || name === "seq") {
    return nodeKind === (name === "map" ? "map" : "seq") ? { kind: "plain" } : refused(`it expects a ${name === "map" ? "mapping" : "sequence"}`);
  }
  if (name === "binary" || name === "timestamp" || name === "set" || name === "omap" || name === "pairs") {
    return { kind: "unsupported", feature: `values tagged \`!!${name}\`` };
  }
  if (name === "str" || name === "int" || name === "float" || name === "bool" || name === "null") {
    if (nodeKind !== "scalar") return refused("it expects a scalar");
    return scalarOf(name, text) ?? refused(`\`${text}\` is not a valid ${name}`);
  }
  return refused("OmegaConf's loader (PyYAML's SafeLoader) constructs no Python objects and knows no custom tags");
}

function scalarOf(name: "str" | "int" | "float" | "bool" | "null", text: string): TagResult | null {
  switch (name) {
    case "str":
      return { kind: "scalar", type: "string", value: text };
    case "null":
      return { kind: "scalar", type: "null", value: null };
    case "bool": {
      const b = BOOLS[text.toLowerCase()];
      return b === undefined || !Object.hasOwn(BOOLS, text.toLowerCase()) ? null : { kind: "scalar", type: "bool", value: b };
    }
    case "int":
      return INT_PATTERN.test(text) ? intOf(text) : null;
    case "float": {
      const v = pythonFloat(text);
      return v === null ? null : { kind: "scalar", type: "float", value: v };
    }
  }
}

/** An int the pattern admits, or null where Python's int() refuses the digits left (`0x_` is int('', 16)). */
function intOf(text: string): TagResult | null {
  try {
    return { kind: "scalar", type: "int", value: parseYamlInt(text) };
  } catch {
    return null;
  }
}

/** PyYAML's construct_yaml_float: `.inf`, `.nan`, sexagesimal, else Python's float() (which also reads `inf`, `nan`). */
function pythonFloat(text: string): number | null {
  let t = text.replace(/_/g, "").toLowerCase();
  let sign = 1;
  if (t.startsWith("-") || t.startsWith("+")) {
    if (t[0] === "-") sign = -1;
    t = t.slice(1);
  }
  if (t === ".inf" || t === "inf" || t === "infinity") return sign * Infinity;
  if (t === ".nan" || t === "nan") return NaN;
  if (/^[0-9][0-9]*(?::[0-5]?[0-9])+(?:\.[0-9]*)?$/.test(t)) return sign * t.split(":").reduce((acc, p) => acc * 60 + Number(p), 0);
  if (/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?$/.test(t)) return sign * Number(t);
  return null;
}
