// OmegaConf's interpolation syntax inside a string, `${a.b}`: read the same way in a LAVIS YAML value and in a `.lv`
// string literal. References to keys and OmegaConf's environment resolver (`${oc.env:HOME}`) are read; other
// resolvers and nested interpolations are reported as unsupported, with the reason.

/** One `${...}` that names a key: `up` leading dots (0: from the root; 1: the enclosing map; 2: its parent, ...). */
export interface InterpolationRef {
  readonly up: number;
  readonly path: readonly string[];
  /** Offsets of `${` and just after `}` in the text read. */
  readonly start: number;
  readonly end: number;
}

/** `${oc.env:NAME}` or `${oc.env:NAME,default}`: OmegaConf's resolver for an environment variable (its text). */
export interface EnvInterpolation {
  readonly env: string;
  /** The default when the variable is not set: text, null (`null`), or absent (then OmegaConf stops). */
  readonly fallback?: string | null;
  readonly start: number;
  readonly end: number;
}

export type StringPiece = string | InterpolationRef | EnvInterpolation;

export interface Unsupported {
  readonly detail: string;
  readonly start: number;
  readonly end: number;
}

/** A key segment as OmegaConf's grammar reads it inside `${...}` (no `$`: that starts a nested interpolation). */
const KEY = /[^\\{}()[\]:. \t'"$]+/y;
const SPACE = /[ \t]*/y;

function skipSpace(s: string, at: number): number {
  SPACE.lastIndex = at;
  SPACE.test(s);
  return SPACE.lastIndex;
}

function keyAt(s: string, at: number): string | null {
  KEY.lastIndex = at;
  const m = KEY.exec(s);
  return m ? m[0] : null;
}

const ENV_NAME = /[^\s,{}$\\'"]+/y;
const DEFAULT_TEXT = /[^\s,{}$\\'"]*/y;
/**
 * A default OmegaConf's grammar reads as that very text (then str() of it is the text): a plain int, or a word of
 * letters, digits and `_ / . : -` that is not a bool, null, inf or nan to the grammar (in any case).
 */
const TEXT_DEFAULT = /^(?:0|[1-9][0-9]*|(?!(?:true|false|null|inf|nan)$)[A-Za-z_/][\w/.:-]*)$/i;

/** After `${oc.env:`, the variable and its default up to `}`, or null when they are not in the plain form read here. */
function envArguments(s: string, start: number, at: number): EnvInterpolation | null {
  ENV_NAME.lastIndex = at = skipSpace(s, at);
  const name = ENV_NAME.exec(s)?.[0];
  if (!name) return null;
  at = skipSpace(s, at + name.length);
  if (s[at] === "}") return { env: name, start, end: at + 1 };
  if (s[at] !== ",") return null;
  DEFAULT_TEXT.lastIndex = at = skipSpace(s, at + 1);
  const text = DEFAULT_TEXT.exec(s)![0];
  at = skipSpace(s, at + text.length);
  if (s[at] !== "}") return null;
  if (text === "null") return { env: name, fallback: null, start, end: at + 1 };
  return TEXT_DEFAULT.test(text) ? { env: name, fallback: text, start, end: at + 1 } : null;
}

/** Reads the interpolation whose `${` is at `start`: a reference, an environment variable, or why lavisc cannot read it. */
export function readInterpolation(s: string, start: number): InterpolationRef | EnvInterpolation | Unsupported {
  let at = skipSpace(s, start + 2);
  let up = 0;
  while (s[at] === ".") {
    up++;
    at++;
  }
  const path: string[] = [];
  for (;;) {
    const key = keyAt(s, at);
    if (key === null) break;
    path.push(key);
    at += key.length;
    if (s[at] === "." && keyAt(s, at + 1) !== null) at++;
    else if (s[at] === "[") {
      const index = keyAt(s, at + 1);
      if (index === null || s[at + 1 + index.length] !== "]") break;
      path.push(index);
      at += index.length + 2;
      if (s[at] === "." && keyAt(s, at + 1) !== null) at++;
    } else break;
  }
  at = skipSpace(s, at);
  if (path.length && s[at] === "}") return { up, path, start, end: at + 1 };
  const close = s.indexOf("}", at);
  const end = close < 0 ? s.length : close + 1;
  if (s[at] === ":" && path.join(".") === "oc.env" && !up) {
    const env = envArguments(s, start, at + 1);
    if (env) return env;
    return { detail: `\`${s.slice(start, end)}\` is read only as \`\${oc.env:NAME}\` or \`\${oc.env:NAME,default}\` with a default that is a plain word, an int or null (OmegaConf's grammar gives quotes, spaces, numbers, bools and interpolations their own meanings)`, start, end };
  }
  if (s[at] === ":" && path.length && !up) return { detail: `\`${s.slice(start, end)}\` calls the OmegaConf resolver \`${path.join(".")}\`, which lavisc does not evaluate (it reads \`oc.env\` only)`, start, end };
  if (s.startsWith("${", at)) return { detail: "a nested interpolation (`${a.${b}}`) is not supported", start, end };
  return { detail: `\`${s.slice(start, end)}\` is not a well-formed interpolation (OmegaConf stops with a GrammarParseError when it reads it)`, start, end };
}

/** A string as OmegaConf reads it: plain text, text with references in it, or an interpolation lavisc cannot read. */
export type OmegaConfString =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "template"; readonly pieces: readonly StringPiece[] }
  | ({ readonly kind: "unsupported" } & Unsupported);

/**
 * Reads a YAML string value as OmegaConf does: `${key}` is a reference; the backslashes right before a `${` are
 * escapes (an odd number makes that `${` literal text, and each pair is one backslash); every other backslash is text.
 */
export function readOmegaConfString(s: string): OmegaConfString {
  if (!s.includes("${")) return { kind: "text", text: s };
  const pieces: StringPiece[] = [];
  let text = "";
  let from = 0;
  for (;;) {
    const at = s.indexOf("${", from);
    if (at < 0) break;
    let slashes = 0;
    while (at - slashes > from && s[at - slashes - 1] === "\\") slashes++;
    text += s.slice(from, at - slashes) + "\\".repeat(slashes >> 1);
    if (slashes % 2 === 1) {
      text += "${";
      from = at + 2;
      continue;
    }
    const read = readInterpolation(s, at);
    if ("detail" in read) return { kind: "unsupported", ...read };
    if (text) pieces.push(text);
    text = "";
    pieces.push(read);
    from = read.end;
  }
  text += s.slice(from);
  if (!pieces.length) return { kind: "text", text };
  if (text) pieces.push(text);
  return { kind: "template", pieces };
}

/** The absolute path a reference names from the map `container` (the path of the map that holds the value). */
export function absoluteReference(ref: InterpolationRef, container: readonly string[]): string[] | null {
  if (ref.up === 0) return [...ref.path];
  const levels = ref.up - 1;
  if (levels > container.length) return null;
  return [...container.slice(0, container.length - levels), ...ref.path];
}
