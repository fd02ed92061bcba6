import type { SourceFile, Span } from "../diagnostics/index.js";
import type { CMap, CNode } from "../semantic/configTree.js";
import type { Analysis } from "./analysis.js";

// What the cursor is on, as a configuration path in LAVIS's sections (`run.init_lr`, `model.arch`,
// `datasets.coco_caption.vis_processor.train.name`). Both `.lv` and YAML are read through the file layer, whose nodes
// carry the spans of their keys and values; completion, which must work on half-typed lines, reads the line itself.

export interface KeyTarget {
  readonly kind: "key";
  readonly path: readonly string[];
  readonly span: Span;
}

export interface ValueTarget {
  readonly kind: "value";
  readonly path: readonly string[];
  readonly span: Span;
  readonly node: CNode;
}

export type Target = KeyTarget | ValueTarget;

const inside = (span: Span | null, file: string, offset: number): span is Span =>
  !!span && span.file === file && span.start <= offset && offset <= span.end;

/** The key or value under the cursor, deepest first. */
export function targetAt(a: Analysis, offset: number): Target | null {
  if (!a.fileLayer) return null;
  const visit = (node: CNode, path: readonly string[]): Target | null => {
    if (node.kind === "list") {
      for (const item of node.items) {
        const hit = visit(item, path);
        if (hit) return hit;
        if (item.kind !== "map" && inside(item.span, a.path, offset)) return { kind: "value", path, span: item.span, node: item };
      }
      return null;
    }
    if (node.kind !== "map") return null;
    for (const [key, child] of node.entries) {
      const childPath = [...path, key];
      const deeper = visit(child, childPath);
      if (deeper) return deeper;
      // A clause's name (`model blip_caption`) is both the key's and the value's span: the value wins.
      if (child.kind !== "map" && inside(child.span, a.path, offset)) return { kind: "value", path: childPath, span: child.span, node: child };
      if (inside(child.keySpan, a.path, offset)) return keySegmentAt(a.text, child.keySpan, childPath, offset);
    }
    return null;
  };
  return visit(a.fileLayer, []);
}

/** On a dotted key (`vis_processor.train = ...`), the path up to the segment under the cursor. */
function keySegmentAt(text: string, span: Span, path: readonly string[], offset: number): KeyTarget {
  const segments = text.slice(span.start, span.end).split(".");
  if (segments.length < 2 || segments.length > path.length) return { kind: "key", path, span };
  let start = span.start;
  for (let i = 0; i < segments.length; i++) {
    const end = start + segments[i]!.length;
    if (offset <= end) {
      const cut = path.length - segments.length + i + 1;
      return { kind: "key", path: path.slice(0, cut), span: { file: span.file, start, end } };
    }
    start = end + 1;
  }
  return { kind: "key", path, span };
}

/** The deepest map of the file layer whose block contains the cursor (`recipe { | }` is `run`). */
export function enclosingMap(a: Analysis, offset: number): { path: readonly string[]; node: CMap } | null {
  if (!a.fileLayer) return null;
  let best: { path: readonly string[]; node: CMap } | null = null;
  const visit = (node: CMap, path: readonly string[]) => {
    if (inside(node.span, a.path, offset)) best = { path, node };
    for (const [key, child] of node.entries) if (child.kind === "map") visit(child, [...path, key]);
  };
  visit(a.fileLayer, []);
  return best;
}

/** Where a YAML line sits: the keys of the lines above it with less indentation, outermost first. */
export function yamlParentPath(file: SourceFile, line: number, indent: number): string[] {
  const path: string[] = [];
  let limit = indent;
  for (let l = line - 1; l >= 1 && limit > 0; l--) {
    const m = /^(\s*)([^\s#:][^:#]*?)\s*:\s*(?:#.*)?$/.exec(file.lineText(l));
    if (!m || m[1]!.length >= limit) continue;
    path.unshift(m[2]!.replace(/^["']|["']$/g, ""));
    limit = m[1]!.length;
  }
  return path;
}
