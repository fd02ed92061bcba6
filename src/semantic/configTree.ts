import type { Span } from "../diagnostics/index.js";
import type { Expr } from "../syntax/ast.js";

// The resolved configuration as a tree in LAVIS's shape ({model, datasets, run, preprocess}), where every node
// remembers where its value came from. Both `.lv` and LAVIS YAML lower to this tree; layers merge as OmegaConf does.

/** `code-default`: what LAVIS's code falls back to for a key a YAML project leaves out (stdlib `code_defaults`). */
export type OriginKind = "schema-default" | "code-default" | "model-default" | "dataset-default" | "file" | "override" | "derived";

export interface Origin {
  readonly kind: OriginKind;
  /** Where the value is written (the default's declaration, the file's line, the override's text). */
  readonly span: Span | null;
  /** What it came from, in words: `= init_lr`, `blip_retrieval(coco)`, `--set recipe.init_lr=3e-5`. */
  readonly from?: string;
  /** For derived values: the values the expression read, with their own origins. */
  readonly deps?: readonly { readonly path: string; readonly origin: Origin }[];
  /** For a `code-default`: lavisc's documented default (a value or a formula), which a `.lv` leaving the key out takes. */
  readonly documented?: CNode;
}

export type ScalarType = "int" | "float" | "string" | "bool" | "null";

interface NodeBase {
  readonly origin: Origin;
  /** Span of the value itself. */
  readonly span: Span | null;
  /** Span of the key that introduced the value (for "unknown key" and "duplicate key"). */
  readonly keySpan: Span | null;
}

export interface CScalar extends NodeBase {
  readonly kind: "scalar";
  readonly type: ScalarType;
  readonly value: string | number | boolean | null;
  /** A bare name written in `.lv` (`lr_sched = linear_warmup_cosine_lr`): a string whose spelling was unquoted. */
  readonly bare?: boolean;
  /** An int beyond 2^53 (Python's ints are exact): its exact decimal digits; `value` is then the nearest double. */
  readonly exact?: string;
}

export interface CMap extends NodeBase {
  readonly kind: "map";
  readonly entries: Map<string, CNode>;
}

export interface CList extends NodeBase {
  readonly kind: "list";
  readonly items: CNode[];
}

/** A value still to compute: a reference (`init_lr`, `${run.init_lr}`) or an expression (`2 * base_lr`). */
export interface CExpr extends NodeBase {
  readonly kind: "expr";
  readonly expr: Expr;
  /** The section path the expression is written in; bare names resolve there first. */
  readonly scope: readonly string[];
  /** Text shown in explain: `= init_lr`. */
  readonly text: string;
  /**
   * Written in YAML (an interpolation OmegaConf reads): a list holding it is put into a string with this text, not its
   * value, as OmegaConf's str() of a ListConfig leaves `'${run.seed}'` unresolved.
   */
  readonly fromYaml?: true;
}

export type CNode = CScalar | CMap | CList | CExpr;

export function emptyMap(origin: Origin, span: Span | null = null, keySpan: Span | null = null): CMap {
  return { kind: "map", entries: new Map(), origin, span, keySpan };
}

export function scalar(value: string | number | boolean | null, type: ScalarType, origin: Origin, span: Span | null = null, keySpan: Span | null = null): CScalar {
  return { kind: "scalar", type, value, origin, span, keySpan };
}

/** OmegaConf's missing value, `???` (its meaning in lavisc: omegaconfMissing.ts). */
export function isOmegaConfMissing(n: CNode | undefined): boolean {
  return !!n && n.kind === "scalar" && n.type === "string" && n.value === "???";
}

/** OmegaConf.merge on untyped configs: maps merge key by key, anything else (lists included) replaces. */
export function merge(base: CNode | undefined, over: CNode): CNode {
  // OmegaConf's missing value merged over a value leaves it.
  if (base && isOmegaConfMissing(over)) return base;
  if (!base || base.kind !== "map" || over.kind !== "map") return over;
  const entries = new Map(base.entries);
  for (const [k, v] of over.entries) entries.set(k, merge(entries.get(k), v));
  return { ...over, entries };
}

/** A deep copy with fresh maps and lists (scalars and expressions are never changed in place, so they are shared). */
export function cloneTree(n: CNode): CNode {
  if (n.kind === "map") {
    const entries = new Map<string, CNode>();
    n.entries.forEach((v, k) => entries.set(k, cloneTree(v)));
    return { ...n, entries };
  }
  if (n.kind === "list") return { ...n, items: n.items.map(cloneTree) };
  return n;
}

/**
 * `cloneTree(merge(base, over))` for a `base` the caller owns (a copy of its own): `base`'s maps take `over`'s values
 * in place, and what `over` brings is copied, so `over` is never shared or changed. The resolver layers the file and
 * the overrides this way on its own copy of the defaults, instead of copying every map at every layer and then again.
 */
export function mergeOwned(base: CNode | undefined, over: CNode): CNode {
  if (base && isOmegaConfMissing(over)) return base;
  if (!base || base.kind !== "map" || over.kind !== "map") return cloneTree(over);
  const entries = base.entries;
  over.entries.forEach((v, k) => entries.set(k, mergeOwned(entries.get(k), v)));
  return { ...over, entries };
}

/** setPath on a `root` the caller owns, as mergeOwned: the same result, `root` changed in place and returned. */
export function setPathOwned(root: CMap, path: readonly string[], value: CNode, origin: Origin, keySpan: Span | null = null): CMap {
  if (path.length === 0) return root;
  const head = path[0]!;
  if (path.length === 1) root.entries.set(head, mergeOwned(root.entries.get(head), value));
  else {
    const child = root.entries.get(head);
    const childMap = child && child.kind === "map" ? child : emptyMap(origin, keySpan, keySpan);
    root.entries.set(head, setPathOwned(childMap, path.slice(1), value, origin, keySpan));
  }
  return root;
}

export function getPath(node: CNode | undefined, path: readonly string[]): CNode | undefined {
  let cur = node;
  for (const seg of path) {
    if (!cur || cur.kind !== "map") return undefined;
    cur = cur.entries.get(seg);
  }
  return cur;
}

/**
 * Sets a value at a path, creating maps on the way (as OmegaConf.update does for dotted keys); a map created here
 * takes `keySpan` (an override's key), so a diagnostic about its key points at what introduced it.
 */
export function setPath(root: CMap, path: readonly string[], value: CNode, origin: Origin, keySpan: Span | null = null): CMap {
  if (path.length === 0) return root;
  const [head, ...rest] = path as [string, ...string[]];
  const entries = new Map(root.entries);
  if (rest.length === 0) {
    entries.set(head, merge(entries.get(head), value));
  } else {
    const child = entries.get(head);
    const childMap = child && child.kind === "map" ? child : emptyMap(origin, keySpan, keySpan);
    entries.set(head, setPath(childMap, rest, value, origin, keySpan));
  }
  return { ...root, entries };
}

const plainOfRoot = new WeakMap<CMap, unknown>();

/**
 * toPlain of a resolved experiment's root, made once per root: lowering reads it and a folder check's `withResolved`
 * returns it, for every file. Shared, so read-only, like everything lowering derives from it.
 */
export function plainConfig(root: CMap): Record<string, unknown> {
  let plain = plainOfRoot.get(root);
  if (plain === undefined) plainOfRoot.set(root, (plain = toPlain(root)));
  return plain as Record<string, unknown>;
}

/** Plain JSON value of a node (expressions must be resolved before; an unresolved one prints as null). */
export function toPlain(node: CNode | undefined): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "list":
      return node.items.map(toPlain);
    case "map": {
      const plain: Record<string, unknown> = {};
      for (const [k, v] of node.entries) {
        // Defined, not assigned: a key named `__proto__` stays a key instead of setting the prototype.
        if (k === "__proto__") Object.defineProperty(plain, k, { value: toPlain(v), enumerable: true, writable: true, configurable: true });
        else plain[k] = toPlain(v);
      }
      return plain;
    }
    case "expr":
      return null;
  }
}

/**
 * Calls `visit` for every leaf, in `leaves`' order. The path it gets is one array, changed as the walk goes on: valid
 * during the call only (copy it to keep it). No array per node: the checker walks every resolved tree this way, and
 * a path per node was most of what a folder check allocated.
 */
export function forEachLeaf(node: CNode, visit: (path: readonly string[], leaf: CNode) => void): void {
  const path: string[] = [];
  const walk = (n: CNode): void => {
    if (n.kind !== "map" || n.entries.size === 0) return visit(path, n);
    n.entries.forEach((v, k) => {
      path.push(k);
      walk(v);
      path.pop();
    });
  };
  walk(node);
}

/** Every leaf with its path, depth first, in insertion order. (An array, not a generator: nested `yield*` costs a step per level for every leaf.) */
export function leaves(node: CNode, prefix: readonly string[] = []): [string[], CNode][] {
  const out: [string[], CNode][] = [];
  forEachLeaf(node, (path, leaf) => out.push([[...prefix, ...path], leaf]));
  return out;
}

/** Where a value came from, in words, for messages that have no source file at hand (`explain` has originText). */
export function describeOrigin(o: Origin): string {
  switch (o.kind) {
    case "model-default":
      return `the model's default config${o.from ? ` (${o.from})` : ""}`;
    case "dataset-default":
      return `the dataset's default config${o.from ? ` (${o.from})` : ""}`;
    case "schema-default":
    case "derived":
      return "the documented default";
    case "code-default":
      return "LAVIS's code fallback";
    case "override":
      return o.from ?? "an override";
    case "file":
      return "this file";
  }
}

export function describeValue(node: CNode): string {
  switch (node.kind) {
    case "scalar":
      return node.type === "string" ? `the string "${String(node.value)}"` : node.type === "null" ? "null" : `${node.type} ${String(node.value)}`;
    case "list":
      return "a list";
    case "map":
      return "a map";
    case "expr":
      return `the expression \`${node.text}\``;
  }
}
