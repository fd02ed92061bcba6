import type * as A from "../syntax/ast.js";
import { keyText } from "../syntax/ast.js";
import { diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { emptyMap, scalar, merge, type CMap, type CNode, type CScalar, type Origin, type OriginKind } from "./configTree.js";
import { exprText } from "./exprText.js";

// Lowers `.lv` members to configuration trees. Literals become scalars; names and expressions stay `expr` nodes until
// the resolver knows the expected type (a name where a name is expected, a reference otherwise).

export interface LowerContext {
  readonly kind: OriginKind;
  readonly from?: string;
  readonly diagnostics: Diagnostic[];
  /** Human name of the block being lowered, for "duplicate key in ..." messages. */
  readonly where: string;
}

const SECTION_OF: Record<string, string> = { recipe: "run", run: "run", model: "model", datasets: "datasets", data: "datasets", preprocess: "preprocess" };

/** The file layer of one experiment declaration: `{model, datasets, run}` in LAVIS's names. */
export function lowerExperiment(decl: A.ExperimentDecl, diagnostics: Diagnostic[]): { root: CMap; constraints: A.Constraint[]; sweep: A.SweepClause | null } {
  const origin: Origin = { kind: "file", span: decl.span };
  let root = emptyMap(origin, decl.span, decl.name.span);
  const constraints: A.Constraint[] = [];
  let sweep: A.SweepClause | null = null;
  const seen = new Map<string, Span>();
  const put: Put = (path, node, keySpan, segmentSpans) => {
    const key = path.join(".");
    const first = seen.get(key);
    if (first && node.kind !== "map") {
      diagnostics.push(diag("LV2002", keySpan, { key: path.at(-1)!, section: `\`${path.slice(0, -1).join(".") || "experiment"}\`` }, {
        path: key,
        related: [{ span: first, message: "first set here" }],
      }));
    }
    seen.set(key, keySpan);
    root = setIn(root, path, node, keySpan, segmentSpans);
  };
  const ctx = (where: string): LowerContext => ({ kind: "file", diagnostics, where });

  for (const m of decl.members) {
    switch (m.kind) {
      case "TaskClause":
        put(["run", "task"], named(m.name, origin), m.span);
        break;
      case "ModelClause": {
        put(["model"], emptyMap({ ...origin, span: m.span }, m.span, keywordSpan(m.span, "model")), m.span);
        put(["model", "arch"], named(m.arch, origin), m.arch.span);
        if (m.modelType) put(["model", "model_type"], named(m.modelType, origin), m.modelType.span);
        if (m.members) mergeMembers(m.members, ["model"], ctx("`model`"), put);
        break;
      }
      case "DataClause": {
        const name = m.builder.name;
        put(["datasets", name], { ...emptyMap(origin, m.span, m.builder.span) }, m.builder.span);
        if (m.dataType) put(["datasets", name, "type"], named(m.dataType, origin), m.dataType.span);
        if (m.members) mergeMembers(m.members, ["datasets", name], ctx(`dataset \`${name}\``), put);
        break;
      }
      case "RecipeClause":
        put(["run"], emptyMap({ ...origin, span: m.span }, m.span, keywordSpan(m.span, "recipe")), m.span);
        mergeMembers(m.members, ["run"], ctx("`recipe`"), put);
        break;
      case "Constraint":
        constraints.push(m);
        break;
      case "SweepClause":
        // Not configuration: the sweep stage expands it into trials (src/sweep/).
        if (sweep) diagnostics.push(diag("LV2040", m.span, {}, { related: [{ span: sweep.span, message: "the first sweep" }] }));
        else sweep = m;
        break;
      case "Assignment":
      case "Block": {
        const head = m.key.segments[0]?.name ?? "";
        const section = SECTION_OF[head];
        if (!section) {
          diagnostics.push(diag("LV2020", m.key.span, { clause: head, where: "an experiment" }, {
            hint: "Inside `experiment`, write `task`, `model`, `data`, `recipe`, or a dotted key starting with `recipe.`, `model.` or `datasets.`.",
          }));
          break;
        }
        const rest = m.key.segments.slice(1).map((s) => s.name);
        if (m.kind === "Block") mergeMembers(m.members, [section, ...rest], ctx(`\`${head}\``), put);
        else put([section, ...rest], lowerExpr(m.value, [section, ...rest.slice(0, -1)], origin, ctx(`\`${head}\``)), m.key.span);
        break;
      }
      default:
        diagnostics.push(diag("LV2020", m.span, { clause: clauseName(m), where: "an experiment" }));
    }
  }
  return { root, constraints, sweep };
}

function clauseName(m: A.Member): string {
  switch (m.kind) {
    case "FieldDecl": return "a field declaration";
    case "TypeClause": return "type";
    default: return m.kind;
  }
}

/** The span of a clause's leading keyword, where "missing value" diagnostics point. */
function keywordSpan(clause: Span, word: string): Span {
  return { file: clause.file, start: clause.start, end: clause.start + word.length };
}

function named(id: A.Ident, origin: Origin): CNode {
  return scalar(id.name, "string", { ...origin, span: id.span }, id.span, id.span);
}

/**
 * Sets `node` at `path` under `root`, merging maps as OmegaConf does. Mutates `root` and the maps below it: lowering
 * builds a fresh tree, so this is safe, and it keeps lowering linear (copying maps on every key was quadratic).
 * A map created for a dotted key (`text_processor.train = ...` creates `text_processor`) is located at its segment
 * (`segmentSpans`, aligned with the end of `path`) or else at the whole key, so a diagnostic about it has a line.
 */
function setIn(root: CMap, path: readonly string[], node: CNode, keySpan: Span, segmentSpans: readonly Span[] = []): CMap {
  let cur = root;
  const firstSegment = path.length - segmentSpans.length;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const child = cur.entries.get(seg);
    if (child && child.kind === "map") cur = child;
    else {
      const at = segmentSpans[i - firstSegment] ?? keySpan;
      const fresh = emptyMap({ ...node.origin, span: at }, at, at);
      cur.entries.set(seg, fresh);
      cur = fresh;
    }
  }
  const last = path[path.length - 1];
  if (last !== undefined) cur.entries.set(last, merge(cur.entries.get(last), node));
  return root;
}

type Put = (path: string[], node: CNode, keySpan: Span, segmentSpans?: readonly Span[]) => void;

/** `prefix`: where members go, relative to the tree being built; `scopeBase`: where that tree sits in the experiment. */
function mergeMembers(members: readonly A.Member[], prefix: string[], ctx: LowerContext, put: Put, scopeBase: readonly string[] = []): void {
  const origin: Origin = { kind: ctx.kind, span: null, ...(ctx.from ? { from: ctx.from } : {}) };
  for (const m of members) {
    if (m.kind === "Assignment") {
      const path = [...prefix, ...m.key.segments.map((s) => s.name)];
      put(path, lowerExpr(m.value, [...scopeBase, ...path.slice(0, -1)], { ...origin, span: m.span }, ctx, m.key.span), m.key.span, m.key.segments.map((s) => s.span));
    } else if (m.kind === "Block") {
      const path = [...prefix, ...m.key.segments.map((s) => s.name)];
      put(path, emptyMap({ ...origin, span: m.span }, m.span, m.key.span), m.key.span, m.key.segments.map((s) => s.span));
      mergeMembers(m.members, path, ctx, put, scopeBase);
    } else if (m.kind === "Constraint" || m.kind === "FieldDecl" || m.kind === "TypeClause") {
      ctx.diagnostics.push(diag("LV2020", m.span, { clause: m.kind === "Constraint" ? m.severity : clauseName(m), where: ctx.where }));
    } else {
      ctx.diagnostics.push(diag("LV2020", m.span, { clause: m.kind.replace("Clause", "").toLowerCase(), where: ctx.where }));
    }
  }
}

/**
 * Lowers a member list to a map (stdlib default configs: model types, dataset types, task defaults). `scope` is where
 * the map will sit in the experiment (`["run"]` for a task's recipe defaults), so bare references resolve there.
 */
export function lowerMembers(members: readonly A.Member[], scope: readonly string[], ctx: LowerContext, span: Span | null = null): CMap {
  let root = emptyMap({ kind: ctx.kind, span, ...(ctx.from ? { from: ctx.from } : {}) }, span);
  const seen = new Map<string, Span>();
  mergeMembers(members, [], ctx, (path, node, keySpan, segmentSpans) => {
    const key = path.join(".");
    const first = seen.get(key);
    if (first && node.kind !== "map") {
      ctx.diagnostics.push(diag("LV2002", keySpan, { key: path.at(-1)!, section: ctx.where }, { related: [{ span: first, message: "first set here" }] }));
    }
    seen.set(key, keySpan);
    root = setIn(root, path, node, keySpan, segmentSpans);
  }, scope);
  return root;
}

/** Lowers one value expression. Literal-only structures become plain nodes; anything that needs evaluation stays `expr`. */
export function lowerExpr(e: A.Expr, scope: readonly string[], origin: Origin, ctx: LowerContext, keySpan: Span | null = null): CNode {
  const o: Origin = { ...origin, span: e.span };
  switch (e.kind) {
    case "StringLit":
      return scalar(e.value, "string", o, e.span, keySpan);
    case "IntLit":
      return intScalar(e.value, e.raw, o, e.span, keySpan);
    case "FloatLit":
      return scalar(e.value, "float", o, e.span, keySpan);
    case "BoolLit":
      return scalar(e.value, "bool", o, e.span, keySpan);
    case "NullLit":
      return scalar(null, "null", o, e.span, keySpan);
    case "Unary":
      if (e.op === "-" && e.operand.kind === "IntLit") return intScalar(-e.operand.value, `-${e.operand.raw}`, o, e.span, keySpan);
      if (e.op === "-" && e.operand.kind === "FloatLit") return scalar(-e.operand.value, "float", o, e.span, keySpan);
      break;
    case "Paren":
      return lowerExpr(e.inner, scope, origin, ctx, keySpan);
    case "ListLit":
      return { kind: "list", items: e.items.map((i) => lowerExpr(i, scope, origin, ctx)), origin: o, span: e.span, keySpan };
    case "MapLit":
      return withSpans(lowerMembers(e.members, [...scope], ctx, e.span), o, e.span, keySpan);
    case "ObjectLit": {
      const m = lowerMembers(e.members, [...scope], ctx, e.span);
      const tag = e.tag.map((t) => t.name).join(".");
      const tagSpan = { file: e.span.file, start: e.tag[0]!.span.start, end: e.tag.at(-1)!.span.end };
      const entries = new Map<string, CNode>([["name", { ...scalar(tag, "string", { ...o, span: tagSpan }, tagSpan, tagSpan), bare: true }]]);
      for (const [k, v] of m.entries) {
        if (k === "name") ctx.diagnostics.push(diag("LV2002", v.keySpan, { key: "name", section: `\`${tag}\`` }, { related: [{ span: tagSpan, message: "the name is given here" }] }));
        else entries.set(k, v);
      }
      return { kind: "map", entries, origin: o, span: e.span, keySpan };
    }
    default:
      break;
  }
  return { kind: "expr", expr: e, scope, text: exprText(e), origin: o, span: e.span, keySpan };
}

function withSpans(m: CMap, origin: Origin, span: Span, keySpan: Span | null): CMap {
  return { ...m, origin, span, keySpan };
}

export { keyText };

/** An int literal: `-0` is 0 (as in Python); beyond 2^53 it keeps its exact digits (configTree's `exact`). */
function intScalar(value: number, raw: string, origin: Origin, span: Span, keySpan: Span | null): CScalar {
  const node = scalar(value + 0, "int", origin, span, keySpan);
  return Number.isSafeInteger(value) ? node : { ...node, exact: BigInt(raw).toString() };
}
