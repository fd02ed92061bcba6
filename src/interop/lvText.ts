import { pythonFloat } from "../semantic/valueText.js";

// Spelling of keys and values in `.lv` source, chosen so that the text parses back to the same value and type.

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words the lexer never reads as a name (keywords like `model` or `type` stay usable as keys). */
const RESERVED = new Set(["and", "or", "not", "is", "in", "if", "then", "else", "true", "false", "null", "inf", "nan"]);
const FLOAT_LIT = /^(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)$/;

export function isLvName(s: string): boolean {
  return IDENT.test(s) && !RESERVED.has(s);
}

export function lvString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = c.charCodeAt(0);
    if (c === '"' || c === "\\") out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (c === "\r") out += "\\r";
    else if (c === "$" && s[i + 1] === "{") out += "\\$";
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += c;
  }
  return out + '"';
}

/** A name where the grammar takes `nameOrString` (arch, model type, builder, task, processor tag). */
export function lvName(s: string): string {
  return isLvName(s) ? s : lvString(s);
}

/** One key segment: bare when it is a name, quoted otherwise. */
export function lvKey(s: string): string {
  return isLvName(s) ? s : lvString(s);
}

/**
 * A float literal that lexes as a FloatLiteral, so the value stays a float (`1e-5`, `1.0`, `2e4`). The source spelling
 * is kept when it already is one and means the same number; otherwise Python's repr, which always is one.
 */
export function lvFloat(value: number, source?: string): string {
  if (source !== undefined) {
    const t = source.replace(/^\+/, "");
    const neg = t.startsWith("-");
    const body = neg ? t.slice(1) : t;
    if (FLOAT_LIT.test(body) && Number(t) === value && !Object.is(value, -0)) return t;
  }
  // `inf` and `nan` are .lv float literals (YAML's `.inf` and `.nan`).
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return pythonFloat(value);
}

/** An int's digits: the exact ones when given (a YAML int beyond 2^53, see semantic/yamlNumbers.ts). */
export function lvInt(value: number, exact?: string): string {
  return exact ?? (Number.isSafeInteger(value) ? String(value + 0) : BigInt(Math.trunc(value)).toString());
}

/** A reference in `.lv` spelling, `recipe.init_lr` for `run.init_lr`; null when the path does not start at a section or is not all names. */
export function referencePath(path: readonly string[]): string | null {
  return path.every(isLvName) ? sectionPath(path) : null;
}

/** The path with the section as `.lv` names it (`run` is `recipe`); null when it does not start at a section. */
export function sectionPath(path: readonly string[]): string | null {
  const heads: Record<string, string> = { run: "recipe", model: "model", datasets: "datasets", preprocess: "preprocess" };
  const head = heads[path[0]!];
  return head && path.length >= 2 ? [head, ...path.slice(1)].join(".") : null;
}
