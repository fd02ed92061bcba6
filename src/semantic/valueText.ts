import { scalar, type CNode } from "./configTree.js";

/** A float as Python prints it (`1e-05`, `20000.0`, `0.0001`), so values read the same as in LAVIS's logs. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expText] = x.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

/** What pythonStr gives for a value whose text would be longer than the length asked for. */
export const TOO_LONG = Symbol("too long");

/**
 * A value as Python's `str()` writes it, which is how OmegaConf puts a value into a string (`1e-05`, `True`, `None`,
 * `['train', 'val']`), or null for a map or a list holding one: lavisc's maps hold documented defaults LAVIS's do
 * not, so their text would differ. `writtenText` gives the text of a list item written as a YAML interpolation, which
 * OmegaConf's str() of a ListConfig writes unresolved (`['${run.seed}']`).
 */
export function pythonStr(n: CNode, maxLength = Infinity, writtenText?: (item: CNode) => string | undefined): string | null | typeof TOO_LONG {
  if (n.kind === "scalar" && n.type === "string") return (n.value as string).length > maxLength ? TOO_LONG : (n.value as string);
  // The budget stops a list of lists that shares its items (`[l, l]`, then `[[l, l], [l, l]]`, ...) early: its text
  // doubles at each level, so writing it out in full could take forever.
  const budget = { left: maxLength };
  const text = pythonRepr(n, budget, writtenText);
  return budget.left < 0 ? TOO_LONG : text;
}

function pythonRepr(n: CNode, budget: { left: number }, writtenText?: (item: CNode) => string | undefined): string | null {
  if (n.kind === "list") {
    const items: (string | null)[] = [];
    for (const item of n.items) {
      const written = writtenText?.(item);
      items.push(written !== undefined ? pythonRepr(scalar(written, "string", item.origin), budget) : pythonRepr(item, budget, writtenText));
      if (budget.left < 0) return "";
    }
    return items.includes(null) ? null : `[${items.join(", ")}]`;
  }
  const text = scalarRepr(n);
  budget.left -= (text?.length ?? 0) + 2; // with the `, ` or brackets around it
  return text;
}

function scalarRepr(n: CNode): string | null {
  if (n.kind !== "scalar") return null;
  switch (n.type) {
    case "string": return pythonStringRepr(n.value as string);
    case "float": return pythonFloat(n.value as number);
    case "bool": return n.value ? "True" : "False";
    case "null": return "None";
    default: return n.exact ?? String(n.value);
  }
}

const PY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Python's repr of a str: single quotes unless it holds a `'` and no `"`; control characters escaped. */
function pythonStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (PY_ESCAPES[c]) out += PY_ESCAPES[c];
    else if (c === quote) out += `\\${c}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\x${code.toString(16)}`;
    else out += c;
  }
  return out + quote;
}

/** One-line text of a resolved value: floats as Python prints them, the rest in lavisc spelling (true, false, null). */
export function valueText(n: CNode): string {
  switch (n.kind) {
    case "scalar":
      if (n.type === "float") return pythonFloat(n.value as number);
      if (n.type === "string") return JSON.stringify(n.value);
      return n.exact ?? String(n.value);
    case "list":
      return `[${n.items.map(valueText).join(", ")}]`;
    case "map":
      return `{${[...n.entries].map(([k, v]) => `${k}: ${valueText(v)}`).join(", ")}}`;
    case "expr":
      return n.text;
  }
}

/**
 * JSON text of a resolved tree that keeps OmegaConf's types: floats keep a decimal point or an exponent (`-1.0`,
 * `1e-05`), so a float never reads back as an int. Infinity and NaN are written as Python's json.dumps does.
 */
export function typedJson(n: CNode, indent = 2, depth = 0): string {
  const pad = (d: number) => (indent ? "\n" + " ".repeat(indent * d) : "");
  switch (n.kind) {
    case "scalar":
      if (n.type === "float") {
        const x = n.value as number;
        return Number.isNaN(x) ? "NaN" : !Number.isFinite(x) ? (x > 0 ? "Infinity" : "-Infinity") : pythonFloat(x);
      }
      return n.exact ?? JSON.stringify(n.value);
    case "list":
      if (n.items.length === 0) return "[]";
      return `[${n.items.map((i) => pad(depth + 1) + typedJson(i, indent, depth + 1)).join(",")}${pad(depth)}]`;
    case "map":
      if (n.entries.size === 0) return "{}";
      return `{${[...n.entries].map(([k, v]) => `${pad(depth + 1)}${JSON.stringify(k)}:${indent ? " " : ""}${typedJson(v, indent, depth + 1)}`).join(",")}${pad(depth)}}`;
    case "expr":
      return "null";
  }
}
