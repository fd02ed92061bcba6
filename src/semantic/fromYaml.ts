import { createRequire } from "node:module";
import type { Node as YNode } from "yaml";
import { diag, groupDigits, type Diagnostic, type Span } from "../diagnostics/index.js";
import { emptyMap, scalar, type CMap, type CNode, type CScalar, type Origin, type OriginKind, type ScalarType } from "./configTree.js";
import type * as A from "../syntax/ast.js";
import { readYamlFast } from "./yamlFast.js";
import { strayTab } from "./yamlTabs.js";
import { unacceptableCharacter } from "./yamlCharacters.js";
import { parsedWithStandIns, standInFlowDashes } from "./yamlFlowDash.js";
import { DocumentReader } from "./yamlDocument.js";
import { parseDocumentAsPyYaml } from "./yamlFlowIndent.js";
import { MAX_YAML_NESTING } from "../syntax/limits.js";
import { absoluteReference, readOmegaConfString } from "../syntax/interpolation.js";
import { FLOAT_PATTERN, INT_PATTERN, parseYamlFloat, yamlInt } from "./yamlNumbers.js";
import { withLineFeeds } from "./yamlLineBreaks.js";

// LAVIS YAML as OmegaConf reads it: PyYAML's SafeLoader resolvers with OmegaConf's float resolver (so `1e-5` and `2e4`
// are floats), no timestamps, duplicate keys rejected, `${...}` an interpolation. Every node keeps its offsets.

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;

export interface PlainScalar {
  readonly type: ScalarType;
  readonly value: string | number | boolean | null;
  /** An int beyond 2^53: its exact digits (see yamlNumbers.ts). */
  readonly exact?: string;
  /**
   * Text that OmegaConf.load cannot construct, so LAVIS cannot read the file: what PyYAML's resolver takes for a number
   * but Python cannot convert (`0x_`, `._`: a ValueError, LV1017), or a lone `=`, YAML 1.1's value key, which
   * SafeLoader has no constructor for (a ConstructorError, LV1008; as a key, PyYAML reads it as the text "="). The
   * value is kept as the text.
   */
  readonly unreadable?: "int" | "float" | "value" | "huge-int";
}

/**
 * Digits an int literal may have: Python's own bound for decimal text (int() of more refuses, since 3.11). Reading a
 * longer one exactly takes super-linear time (a 12,000,000-digit int took 19 s), and no LAVIS value is near this size.
 */
export const MAX_INT_DIGITS = 4_300;

/** The plain scalar YAML 1.1 resolves to `tag:yaml.org,2002:value`. */
const VALUE_KEY = "=";

export function resolvePlainScalar(text: string): PlainScalar {
  if (text === VALUE_KEY) return { type: "string", value: text, unreadable: "value" };
  if (NULL.test(text)) return { type: "null", value: null };
  if (BOOL.test(text)) return { type: "bool", value: TRUE.test(text) };
  if (INT_PATTERN.test(text)) {
    if (text.length > MAX_INT_DIGITS) return { type: "string", value: text, unreadable: "huge-int" };
    const int = safely(() => yamlInt(text));
    if (!int) return { type: "string", value: text, unreadable: "int" };
    return int.exact ? { type: "int", value: int.value, exact: int.exact } : { type: "int", value: int.value };
  }
  if (FLOAT_PATTERN.test(text)) {
    const value = parseYamlFloat(text);
    // NaN only from `.nan`; otherwise Python's float() refuses what is left without the underscores (`._` is `.`).
    if (Number.isNaN(value) && !/^\.nan$/i.test(text)) return { type: "string", value: text, unreadable: "float" };
    return { type: "float", value };
  }
  return { type: "string", value: text };
}

function safely<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null; // digits the pattern admits but Python's int() refuses (`0b_` is int('', 2))
  }
}

/** LV1017 for a plain scalar that OmegaConf's loader takes for a number it cannot convert, LV1008 for a lone `=`, else null. */
export function unreadableScalar(r: PlainScalar, text: string, at: Span | null, path: readonly string[]): Diagnostic | null {
  if (!r.unreadable) return null;
  const where = { path: path.join(".") };
  if (r.unreadable === "value") return diag("LV1008", at, { detail: VALUE_KEY_REFUSED }, where);
  if (r.unreadable === "huge-int") return diag("LV1027", at, { start: text.slice(0, 12), max: groupDigits(MAX_INT_DIGITS) }, where);
  return diag("LV1017", at, { text, kind: r.unreadable === "int" ? "an int" : "a float", conversion: `${r.unreadable}()` }, where);
}

const VALUE_KEY_REFUSED = `a lone \`${VALUE_KEY}\` is YAML 1.1's value key to OmegaConf's loader (PyYAML's SafeLoader), which stops on it ("could not determine a constructor for the tag 'tag:yaml.org,2002:value'"); quote it (\`"${VALUE_KEY}"\`) for the text`;

/** A scalar node for a resolved plain scalar, keeping an exact big int's digits. */
export function plainScalarNode(r: PlainScalar, origin: Origin, sp: Span | null, keySpan: Span | null): CScalar {
  const node = scalar(r.value, r.type, origin, sp, keySpan);
  return r.exact ? { ...node, exact: r.exact } : node;
}

/**
 * A string scalar as OmegaConf reads it (syntax/interpolation.ts): `\${` is an escaped, literal `${`; a whole value
 * `${a.b}` is a reference (resolved like `.lv` references, keeping the value's type); text with references in it is a
 * template (its value a string); a resolver or a malformed interpolation is one lavisc cannot read (LV3005).
 */
export function scalarOrInterpolation(
  value: string | number | boolean | null, type: ScalarType, origin: Origin, sp: Span | null, keySpan: Span | null,
  path: readonly string[], diagnostics: Diagnostic[], exact?: string, source?: string,
): CNode {
  if (type !== "string" || typeof value !== "string" || !value.includes("${")) return plainScalarNode(exact ? { type, value, exact } : { type, value }, origin, sp, keySpan);
  const read = readOmegaConfString(value);
  if (read.kind === "text") return scalar(read.text, type, origin, sp, keySpan);
  const where = path.join(".");
  // A piece's own place when the source spells the value as it is, else the whole value's.
  const at = sp ? offsetInSource(value, sp, source) : null;
  const placeOf = (piece: { start: number; end: number }): Span | null => (sp && at !== null ? { file: sp.file, start: sp.start + at + piece.start, end: sp.start + at + piece.end } : sp);
  if (read.kind === "unsupported" || !sp) {
    const detail = read.kind === "unsupported" ? read.detail : "it has no place in a file";
    diagnostics.push(diag("LV3005", read.kind === "unsupported" ? placeOf(read) : sp, { path: where, detail }, { path: where, hint: "Write the value out, or escape the `$` as `\\${` if it is literal text." }));
    return scalar(value, type, origin, sp, keySpan);
  }
  const container = path.slice(0, -1);
  const parts: (string | A.Ref | A.EnvPart)[] = [];
  for (const piece of read.pieces) {
    if (typeof piece === "string") {
      parts.push(piece);
      continue;
    }
    const pieceSpan = placeOf(piece)!;
    if ("env" in piece) {
      parts.push({ kind: "Env", name: piece.env, ...(piece.fallback !== undefined ? { fallback: piece.fallback } : {}), span: pieceSpan });
      continue;
    }
    const target = absoluteReference(piece, container);
    if (!target) {
      diagnostics.push(diag("LV3005", pieceSpan, { path: where, detail: `\`${value.slice(piece.start, piece.end)}\` goes above the top of the config` }, { path: where, hint: "Count the dots: `${.k}` is a key beside this one, each further dot one map up." }));
      return scalar(value, type, origin, sp, keySpan);
    }
    parts.push({ kind: "Ref", interpolated: true, span: pieceSpan, path: target.map((name) => ({ kind: "Ident", name, quoted: false, span: pieceSpan })) });
  }
  // A whole-value reference keeps the value's type; anything else (an environment variable's text too) is a string.
  const [only] = parts;
  const expr: A.Expr = parts.length === 1 && typeof only !== "string" && only!.kind === "Ref" ? only! : { kind: "Template", parts, raw: value, span: sp };
  return { kind: "expr", expr, scope: container, text: value, origin, span: sp, keySpan, fromYaml: true };
}

/**
 * Where the value's text starts within its span in the source (0 for a plain scalar, 1 inside quotes), when the
 * source spells the value as it is (no escapes, no folded lines): then a reference's own place can be pointed at.
 */
function offsetInSource(value: string, sp: Span, source: string | undefined): number | null {
  const raw = source?.slice(sp.start, sp.end);
  if (raw === value) return 0;
  if (raw !== undefined && raw.length === value.length + 2 && (raw[0] === '"' || raw[0] === "'") && raw.slice(1, -1) === value) return 1;
  return null;
}

let yamlModule: typeof import("yaml") | undefined;
/** `yaml` costs ~50 ms to load; only YAML inputs pay for it. */
function yamlLib(): typeof import("yaml") {
  return (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));
}

export interface YamlResult {
  readonly root: CMap | null;
  readonly diagnostics: Diagnostic[];
}

/** Reads a LAVIS YAML file into a configuration tree (origin `kind`, default "file"). */
export function readYaml(text: string, file: string, kind: OriginKind = "file"): YamlResult {
  const refused = unacceptableCharacter(text, file);
  if (refused) return { root: null, diagnostics: [refused] };
  const read = withLineFeeds(text);
  return readYamlFast(read, file, kind) ?? readYamlSlow(read, file, kind);
}

/** readYaml through the `yaml` package: the reference the fast reader must match, and its fallback. */
export function readYamlSlow(text: string, file: string, kind: OriginKind = "file"): YamlResult {
  const lib = yamlLib();
  const diagnostics: Diagnostic[] = [];
  // No indentation rule inside a flow collection, as in PyYAML (yamlFlowIndent.ts).
  const parse = (t: string) => parseDocumentAsPyYaml(lib, t, { schema: "failsafe", uniqueKeys: false, strict: false });
  let doc = parse(text);
  // `[a, -]`: text to PyYAML, refused by the `yaml` package (yamlFlowDash.ts).
  if (doc.errors.some((e) => /Block collections are not allowed within flow collections/.test(e.message))) {
    const standIn = standInFlowDashes(text);
    const retry = standIn ? parse(standIn) : null;
    if (retry && !retry.errors.length) {
      doc = retry;
      parsedWithStandIns.add(doc);
    }
  }
  for (const e of doc.errors) {
    const [s, en] = e.pos;
    const at = { file, start: s, end: Math.max(en, s + 1) };
    // `yaml` reports its own stack overflow on very deep nesting as a parse error.
    if (/call stack/i.test(e.message)) diagnostics.push(diag("LV1013", at, { max: MAX_YAML_NESTING, what: "YAML mappings and lists" }));
    else diagnostics.push(diag("LV1008", at, { detail: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "") }));
  }
  const tab = diagnostics.length ? null : strayTab(text, doc, lib, file);
  if (tab) diagnostics.push(tab);
  if (diagnostics.length) return { root: null, diagnostics };
  const contents = doc.contents as YNode | null;
  if (contents == null) return { root: emptyMap({ kind, span: null }), diagnostics };
  const reader = new DocumentReader(lib, doc, file, kind, text);
  const root = reader.read(contents);
  diagnostics.push(...reader.diagnostics);
  if (!root) return { root: null, diagnostics };
  if (root.kind !== "map") {
    diagnostics.push(diag("LV3001", root.span, { path: "(file)", expected: "a mapping with `model`, `datasets` and `run`", actual: "something else" }));
    return { root: null, diagnostics };
  }
  return { root, diagnostics };
}
