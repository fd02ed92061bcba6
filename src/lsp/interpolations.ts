import type { CompletionItem, Range } from "vscode-languageserver";
import type { Span } from "../diagnostics/index.js";
import { getPath } from "../semantic/configTree.js";
import { refTarget } from "../semantic/evaluate.js";
import { evalEnv } from "../semantic/facts.js";
import { valueText } from "../semantic/valueText.js";
import { absoluteReference, readInterpolation } from "../syntax/interpolation.js";
import type { Analysis } from "./analysis.js";
import { targetAt } from "./locate.js";

// The references inside a value, `"output/${model.arch}"` (syntax/interpolation.ts): which key the `${...}` under the
// cursor names (for hover and go to definition), and the keys to offer after a `${` being typed.

export interface InterpolationTarget {
  /** The key it reads, as the checker resolves it (`["model", "arch"]`); empty for an environment variable. */
  readonly path: readonly string[];
  /** `${oc.env:NAME[,default]}`: the variable, and the default written (null, or absent). */
  readonly env?: { readonly name: string; readonly fallback?: string | null };
  /** The `${...}` in the document. */
  readonly span: Span;
}

/**
 * Is the `${` at `at` of the source text written as text? An odd number of backslashes in the value right before it
 * makes it so, in YAML and in `.lv` alike; in a double-quoted YAML scalar the source doubles each of them.
 */
function escaped(text: string, at: number, doubleQuotedYaml: boolean): boolean {
  let n = 0;
  while (text[at - n - 1] === "\\") n++;
  return (doubleQuotedYaml ? n >> 1 : n) % 2 === 1;
}

/** The reference under the cursor inside a value that interpolates, or null. */
export function interpolationAt(a: Analysis, offset: number): InterpolationTarget | null {
  const target = targetAt(a, offset);
  if (target?.kind !== "value" || target.node.kind !== "expr" || !target.span) return null;
  const { start } = target.span;
  const text = a.text.slice(start, target.span.end);
  for (let i = text.indexOf("${"); i >= 0; i = text.indexOf("${", i + 2)) {
    const read = readInterpolation(text, i);
    if ("detail" in read || escaped(text, i, a.format === "yaml" && text.startsWith('"')) || offset < start + read.start || offset > start + read.end) continue;
    const span = { file: a.path, start: start + read.start, end: start + read.end };
    if ("env" in read) return { path: [], env: { name: read.env, ...(read.fallback !== undefined ? { fallback: read.fallback } : {}) }, span };
    const container = target.path.slice(0, -1);
    const names = a.format === "yaml" ? absoluteReference(read, container) : read.up ? null : [...read.path];
    // Resolved as the checker resolves a reference written in the map at `container`.
    const path = names && a.resolved && refTarget(names, evalEnv(a.resolved, container));
    return path ? { path, span } : null;
  }
  return null;
}

/**
 * The key a reference under the cursor reads: a `${...}` inside a value, or in `.lv` a bare name as a whole value
 * (`warmup_lr = init_lr`), which describes and leads to `init_lr`, not to the key it is assigned to.
 */
export function referenceAt(a: Analysis, offset: number): InterpolationTarget | null {
  return interpolationAt(a, offset) ?? bareReferenceAt(a, offset);
}

function bareReferenceAt(a: Analysis, offset: number): InterpolationTarget | null {
  const target = targetAt(a, offset);
  if (a.format !== "lv" || target?.kind !== "value" || target.node.kind !== "expr") return null;
  const expr = target.node.expr;
  if (expr.kind !== "Ref" || expr.interpolated || expr.span.file !== a.path) return null;
  const path = a.resolved && refTarget(expr.path.map((i) => i.name), evalEnv(a.resolved, target.path.slice(0, -1)));
  return path ? { path, span: expr.span } : null;
}

/**
 * After an unclosed `${` (the text before the cursor on its line), the keys that can follow: the sections at first,
 * then the keys of the map named so far, each with its current value. `container` is the map the value is written in.
 */
export function interpolationCompletions(a: Analysis, before: string, container: readonly string[], range: Range): CompletionItem[] | null {
  const m = /\$\{\s*(\.*)((?:[^\s.{}$:\\"'[\]]+\.)*)[^\s.{}$:\\"'[\]]*$/.exec(before);
  if (!m || escaped(before, m.index, a.format === "yaml" && /:\s*"/.test(before))) return null;
  const up = m[1]!.length;
  const dotted = m[2] ? m[2].slice(0, -1).split(".") : [];
  if (up && a.format !== "yaml") return [];
  const base = up ? container.slice(0, container.length - (up - 1)) : [];
  const item = (label: string, detail: string): CompletionItem => ({ label, kind: 10, detail, textEdit: { range, newText: label } });
  if (!up && !dotted.length) {
    const sections = a.format === "yaml" ? ["model", "datasets", "run"] : ["recipe", "model", "datasets"];
    const here = a.format === "yaml" ? [] : keysWithValues(a, container).map(([k, d]) => item(k, d));
    return [...sections.map((s) => item(s, "section")), ...here];
  }
  const names = [...base, ...dotted];
  const path = up ? names : a.resolved && refTarget(names, evalEnv(a.resolved, container));
  return path ? keysWithValues(a, path).map(([k, d]) => item(k, d)) : [];
}

/** The keys of the resolved map at `path`, with the text of each value (`= 1e-05`, `{...}` for a map). */
function keysWithValues(a: Analysis, path: readonly string[]): [string, string][] {
  const map = a.resolved ? getPath(a.resolved.root, path) : undefined;
  if (map?.kind !== "map") return [];
  return [...map.entries].map(([k, v]) => [k, v.kind === "map" ? "{ … }" : `= ${valueText(v)}`]);
}
