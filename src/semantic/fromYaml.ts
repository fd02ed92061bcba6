import { createRequire } from "node:module";
import type { Node as YNode, Document } from "yaml";
import { diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { emptyMap, scalar, type CMap, type CNode, type Origin, type OriginKind, type ScalarType } from "./configTree.js";
import type * as A from "../syntax/ast.js";
import { readYamlFast } from "./yamlFast.js";

// LAVIS YAML as OmegaConf reads it: PyYAML's SafeLoader resolvers with OmegaConf's float resolver (so `1e-5` and `2e4`
// are floats), no timestamps, duplicate keys rejected, `${...}` an interpolation. Every node keeps its offsets.

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;

export function resolvePlainScalar(text: string): { type: ScalarType; value: string | number | boolean | null } {
  if (NULL.test(text)) return { type: "null", value: null };
  if (BOOL.test(text)) return { type: "bool", value: TRUE.test(text) };
  if (INT.test(text)) return { type: "int", value: parseYamlInt(text) };
  if (FLOAT.test(text)) return { type: "float", value: parseYamlFloat(text) };
  return { type: "string", value: text };
}

function parseYamlInt(text: string): number {
  let t = text.replace(/_/g, "");
  let sign = 1;
  if (t[0] === "-" || t[0] === "+") {
    if (t[0] === "-") sign = -1;
    t = t.slice(1);
  }
  if (t.includes(":")) return sign * t.split(":").reduce((acc, p) => acc * 60 + Number(p), 0);
  if (t.startsWith("0b")) return sign * parseInt(t.slice(2), 2);
  if (t.startsWith("0x")) return sign * parseInt(t.slice(2), 16);
  if (t.length > 1 && t.startsWith("0")) return sign * parseInt(t.slice(1), 8);
  return sign * Number(t);
}

function parseYamlFloat(text: string): number {
  const t = text.replace(/_/g, "");
  const lower = t.toLowerCase();
  if (lower.endsWith(".inf")) return t.startsWith("-") ? -Infinity : Infinity;
  if (lower === ".nan") return NaN;
  if (t.includes(":")) {
    const sign = t.startsWith("-") ? -1 : 1;
    return sign * t.replace(/^[-+]/, "").split(":").reduce((acc, p) => acc * 60 + Number(p), 0);
  }
  return Number(t);
}

/**
 * A string scalar as OmegaConf reads it: `\${` is an escaped, literal `${`; a whole value `${a.b}` is a reference
 * (resolved like `.lv` references); any other `${` is an interpolation lavisc cannot resolve (LV3005).
 */
export function scalarOrInterpolation(
  value: string | number | boolean | null, type: ScalarType, origin: Origin, sp: Span | null, keySpan: Span | null,
  path: readonly string[], diagnostics: Diagnostic[],
): CNode {
  if (type !== "string" || typeof value !== "string" || !value.includes("${")) return scalar(value, type, origin, sp, keySpan);
  const unescaped = value.replace(/\\\$\{/g, "\u0000");
  if (!unescaped.includes("${")) return scalar(unescaped.replace(/\u0000/g, "${"), type, origin, sp, keySpan);
  const m = /^\$\{([A-Za-z_][\w.]*)\}$/.exec(value);
  if (m && sp) {
    const ref: A.Ref = {
      kind: "Ref",
      interpolated: true,
      span: sp,
      path: m[1]!.split(".").map((name) => ({ kind: "Ident", name, quoted: false, span: sp })),
    };
    return { kind: "expr", expr: ref, scope: path.slice(0, -1), text: value, origin, span: sp, keySpan };
  }
  diagnostics.push(diag("LV3005", sp, { path: path.join("."), detail: "only a whole value of the form ${a.b} is supported" }, { path: path.join("."), hint: "Write the value out, or escape the `$` as `\\${` if it is literal text." }));
  return scalar(value, type, origin, sp, keySpan);
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
  const fast = readYamlFast(text, file, kind);
  if (fast) return fast;
  return readYamlSlow(text, file, kind);
}

/** readYaml through the `yaml` package: the reference the fast reader must match, and its fallback. */
export function readYamlSlow(text: string, file: string, kind: OriginKind = "file"): YamlResult {
  const { parseDocument, isMap, isSeq, isScalar, isAlias, isPair, Scalar } = yamlLib();
  const diagnostics: Diagnostic[] = [];
  const doc = parseDocument(text, { schema: "failsafe", uniqueKeys: false, prettyErrors: false, strict: false }) as Document.Parsed;
  for (const e of doc.errors) {
    const [s, en] = e.pos;
    diagnostics.push(diag("LV1008", { file, start: s, end: Math.max(en, s + 1) }, { detail: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "") }));
  }
  if (diagnostics.length) return { root: null, diagnostics };
  const span = (n: { range?: [number, number, number] | null } | null | undefined): Span | null =>
    n?.range ? { file, start: n.range[0], end: n.range[1] } : null;

  const convert = (node: YNode | null | undefined, keySpan: Span | null, path: string[]): CNode => {
    const sp = span(node as never);
    const origin: Origin = { kind, span: sp };
    if (node == null) return scalar(null, "null", origin, sp, keySpan);
    if (isAlias(node)) {
      return convert(node.resolve(doc) as YNode, keySpan, path);
    }
    if (isScalar(node)) {
      const raw = String(node.value ?? "");
      if (node.tag && node.tag !== "tag:yaml.org,2002:str" && node.tag !== "!") {
        diagnostics.push(diag("LV1010", sp, { feature: "explicit tags" }, { path: path.join(".") }));
      }
      if (node.type === Scalar.PLAIN) {
        const r = resolvePlainScalar(raw);
        return interpolationOrScalar(r.value, r.type, origin, sp, keySpan, path);
      }
      return interpolationOrScalar(raw, "string", origin, sp, keySpan, path);
    }
    if (isSeq(node)) {
      return { kind: "list", items: node.items.map((it, i) => convert(it as YNode, null, [...path, String(i)])), origin, span: sp, keySpan };
    }
    if (isMap(node)) {
      const m = emptyMap(origin, sp, keySpan);
      const first = new Map<string, Span | null>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YNode | null;
        const ks = span(keyNode as never);
        const key = keyNode && isScalar(keyNode) ? String(keyNode.value ?? "null") : String(keyNode);
        if (key === "<<") {
          diagnostics.push(diag("LV1010", ks, { feature: "merge keys (`<<`)" }, { path: path.join(".") }));
          continue;
        }
        if (first.has(key)) {
          const prev = first.get(key);
          diagnostics.push(diag("LV1009", ks, { key }, { path: [...path, key].join("."), related: prev ? [{ span: prev, message: "first defined here" }] : [] }));
        } else first.set(key, ks);
        m.entries.set(key, convert(pair.value as YNode, ks, [...path, key]));
      }
      return m;
    }
    return scalar(null, "null", origin, sp, keySpan);
  };

  const interpolationOrScalar = (value: string | number | boolean | null, type: ScalarType, origin: Origin, sp: Span | null, keySpan: Span | null, path: string[]): CNode =>
    scalarOrInterpolation(value, type, origin, sp, keySpan, path, diagnostics);

  const contents = doc.contents as YNode | null;
  if (contents == null) return { root: emptyMap({ kind, span: null }), diagnostics };
  const root = convert(contents, null, []);
  if (root.kind !== "map") {
    diagnostics.push(diag("LV3001", root.span, { path: "(file)", expected: "a mapping with `model`, `datasets` and `run`", actual: "something else" }));
    return { root: null, diagnostics };
  }
  return { root, diagnostics };
}
