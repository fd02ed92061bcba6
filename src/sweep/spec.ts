// The sweep as data: axes (each a key path and its values), grouped so that a `zip` moves together, an optional filter
// and limit. Built from a `sweep { ... }` block and from `--sweep KEY=VALUES` on the command line.
import type * as A from "../syntax/ast.js";
import { parseSweepValues } from "../syntax/parse.js";
import { SourceFile, diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { SECTIONS } from "../semantic/resolve.js";
import { offsetExpr } from "../semantic/overrides.js";
import { exprText } from "../semantic/exprText.js";
import { pythonFloat } from "../semantic/valueText.js";

/** lavisc resolves and checks every trial before running one; beyond this many it asks for a narrower sweep. */
export const MAX_TRIALS = 1000;

/** One value of an axis: an expression written in a list, or a number a range computed. */
export type SweepValue =
  | { readonly kind: "expr"; readonly expr: A.Expr; readonly text: string; readonly span: Span }
  | { readonly kind: "number"; readonly value: number; readonly type: "int" | "float"; readonly text: string; readonly span: Span };

export interface SweepAxisSpec {
  /** As written (`recipe.init_lr`). */
  readonly key: string;
  /** In LAVIS's sections (`run.init_lr`). */
  readonly path: readonly string[];
  readonly keySpan: Span;
  /** The whole axis, `recipe.init_lr in [...]`. */
  readonly span: Span;
  readonly values: readonly SweepValue[];
}

/** A single axis, or the axes of one `zip`: the product runs over groups, a group's axes move together. */
export interface SweepGroup {
  readonly axes: readonly SweepAxisSpec[];
  readonly zip: boolean;
  readonly span: Span;
}

export interface SweepSpec {
  readonly groups: readonly SweepGroup[];
  readonly filter: A.Expr | null;
  readonly limit: number | null;
  /** The `sweep` block, when the file has one. */
  readonly span: Span | null;
}

export const emptySweep: SweepSpec = { groups: [], filter: null, limit: null, span: null };

/** The sweep of a `sweep { ... }` block; mistakes are reported and leave the axis out. */
export function sweepSpecOf(clause: A.SweepClause, diagnostics: Diagnostic[]): SweepSpec {
  const groups: SweepGroup[] = [];
  let filter: A.Expr | null = null;
  let limit: number | null = null;
  for (const m of clause.members) {
    switch (m.kind) {
      case "SweepAxis": {
        const axis = axisOf(m.key, m.domain, m.span, diagnostics);
        if (axis) groups.push({ axes: [axis], zip: false, span: m.span });
        break;
      }
      case "SweepZip": {
        const axes = m.axes.flatMap((a) => axisOf(a.key, a.domain, a.span, diagnostics) ?? []);
        if (axes.length && sameLengths(axes, diagnostics)) groups.push({ axes, zip: true, span: m.span });
        break;
      }
      case "SweepFilter":
        if (filter) diagnostics.push(diag("LV2002", m.span, { key: "filter", section: "`sweep`" }, { hint: "A sweep has one filter: join the conditions with `and`." }));
        filter = m.condition;
        break;
      case "SweepLimit":
        if (m.count.kind === "IntLit" && m.count.value < 1) diagnostics.push(diag("LV3020", m.count.span, { scale: "limit", what: "at least 1 trial" }));
        else if (m.count.kind === "IntLit") limit = m.count.value;
        break;
    }
  }
  noDuplicateKeys(groups, diagnostics);
  return { groups, filter, limit, span: clause.span };
}

/**
 * `--sweep KEY=VALUES` (repeatable): each one an axis of the product, after the file's axes. An axis over a key the
 * file already sweeps replaces the file's axis (the command line wins, as `--set` does over the file).
 */
export function withCommandLineAxes(spec: SweepSpec, texts: readonly string[], diagnostics: Diagnostic[], sources: SourceFile[]): SweepSpec {
  let groups = [...spec.groups];
  texts.forEach((text, i) => {
    const file = `<--sweep #${i + 1}>`;
    sources.push(new SourceFile(file, text));
    const eq = text.indexOf("=");
    if (eq <= 0) {
      diagnostics.push(diag("LV2022", { file, start: 0, end: text.length }, { text }, { hint: "Write --sweep KEY=V1,V2,... e.g. --sweep recipe.seed=1,2,3, or --sweep recipe.init_lr=log(1e-5, 1e-3, count = 3)." }));
      return;
    }
    const keyText = text.slice(0, eq).trim();
    const keySpan = { file, start: 0, end: eq };
    const parsed = parseSweepValues(text.slice(eq + 1), file);
    const shift = (s: Span): Span => ({ file, start: s.start + eq + 1, end: s.end + eq + 1 });
    if (parsed.diagnostics.length) {
      for (const d of parsed.diagnostics) diagnostics.push(d.span ? { ...d, span: shift(d.span) } : d);
      return;
    }
    const segments: A.Ident[] = keyText.split(".").map((name) => ({ kind: "Ident", name, quoted: false, span: keySpan }));
    const key: A.KeyPath = { kind: "KeyPath", segments, span: keySpan };
    const axis = axisOf(key, offsetExpr(parsed.domain, eq + 1), { file, start: 0, end: text.length }, diagnostics);
    if (!axis) return;
    const same = groups.findIndex((g) => g.axes.some((a) => a.key === axis.key || a.path.join(".") === axis.path.join(".")));
    if (same >= 0 && groups[same]!.zip) {
      diagnostics.push(diag("LV2041", keySpan, { key: axis.key }, { related: [{ span: groups[same]!.span, message: "swept in this zip" }], hint: "An axis of a `zip` cannot be replaced from the command line; edit the file." }));
      return;
    }
    const group: SweepGroup = { axes: [axis], zip: false, span: axis.span };
    if (same >= 0) groups[same] = group;
    else groups = [...groups, group];
  });
  return { ...spec, groups };
}

function axisOf(key: A.KeyPath, domain: A.SweepAxis["domain"], span: Span, diagnostics: Diagnostic[]): SweepAxisSpec | null {
  const names = key.segments.map((s) => s.name);
  const section = SECTIONS[names[0] ?? ""];
  const keyText = names.join(".");
  if (!section || names.length < 2 || section === "lavisc") {
    diagnostics.push(diag("LV2042", key.span, { key: keyText }));
    return null;
  }
  const path = [section, ...names.slice(1)];
  if (path.join(".") === "run.output_dir") {
    diagnostics.push(diag("LV2044", key.span, { key: keyText, why: "each trial's output folder is chosen by the sweep (<sweep folder>/<trial id>)" }));
    return null;
  }
  let values: SweepValue[] | null = null;
  if (domain.kind === "ListLit") {
    values = domain.items.filter((i) => i.kind !== "Missing").map((expr) => ({ kind: "expr", expr, text: exprText(expr), span: expr.span }));
    if (!values.length) diagnostics.push(diag("LV3022", domain.span, { why: `\`${keyText}\` has no values` }));
    diagnostics.push(...repeatedValues(keyText, values));
  } else if (domain.kind === "SweepRange") values = rangeValues(domain, diagnostics);
  if (!values?.length) return null;
  return { key: keyText, path, keySpan: key.span, span, values };
}

/** LV3025 (warning) for a value a list axis names again (`seed in [1, 1]`, `[1e-3, 0.001]`): its trials would be the same. */
function repeatedValues(key: string, values: readonly SweepValue[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const sameAs = (a: SweepValue, b: SweepValue) => {
    if (a.kind !== "expr" || b.kind !== "expr") return false;
    const x = literalNumber(a.expr), y = literalNumber(b.expr);
    return x && y ? x.value === y.value : a.text === b.text;
  };
  values.forEach((v, i) => {
    const first = values.findIndex((w) => sameAs(w, v));
    if (first < i) out.push(diag("LV3025", v.span, { key, value: v.text }, { related: [{ span: values[first]!.span, message: "first here" }] }));
  });
  return out;
}

/** Numbers of a literal endpoint (`1e-5`, `-2`), or null. */
function literalNumber(e: A.Expr): { value: number; int: boolean } | null {
  if (e.kind === "IntLit" || e.kind === "FloatLit") return { value: e.value, int: e.kind === "IntLit" };
  if (e.kind === "Unary" && e.op === "-") {
    const inner = literalNumber(e.operand);
    return inner && { value: -inner.value, int: inner.int };
  }
  if (e.kind === "Paren") return literalNumber(e.inner);
  return null;
}

/**
 * `count` values from `from` to `to`, both included: evenly spaced (`linear`) or evenly spaced in log space (`log`).
 * Values are rounded to 12 significant digits (so `log(1, 1000, count = 4)` gives 1, 10, 100, 1000); they are ints
 * when both ends are written as ints and every value is a whole number, floats otherwise.
 */
export function rangeValues(r: A.SweepRange, diagnostics: Diagnostic[]): SweepValue[] | null {
  const a = literalNumber(r.from), b = literalNumber(r.to);
  if (!a || !b) {
    diagnostics.push(diag("LV3020", (!a ? r.from : r.to).span, { scale: r.scale, what: "numbers written out as its two ends (`linear(1e-5, 1e-3, count = 3)`)" }));
    return null;
  }
  if (r.count.kind !== "IntLit" || r.count.value < 1) {
    diagnostics.push(diag("LV3020", r.count.span, { scale: r.scale, what: "a count of at least 1" }));
    return null;
  }
  if (r.scale === "log" && (a.value <= 0 || b.value <= 0)) {
    diagnostics.push(diag("LV3020", (a.value <= 0 ? r.from : r.to).span, { scale: r.scale, what: "ends greater than 0" }));
    return null;
  }
  const n = r.count.value;
  if (n > MAX_TRIALS) {
    diagnostics.push(diag("LV3024", r.count.span, { count: n, max: MAX_TRIALS }));
    return null;
  }
  const raw: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? 0 : i / (n - 1);
    const v = r.scale === "log" ? Math.exp(Math.log(a.value) + t * (Math.log(b.value) - Math.log(a.value))) : a.value + t * (b.value - a.value);
    raw.push(Number(v.toPrecision(12)));
  }
  const ints = a.int && b.int && raw.every((v) => Number.isInteger(v));
  return raw.map((value) => ({ kind: "number", value, type: ints ? "int" : "float", text: ints ? String(value) : pythonFloat(value), span: r.span }));
}

function sameLengths(axes: readonly SweepAxisSpec[], diagnostics: Diagnostic[]): boolean {
  const first = axes[0]!;
  for (const a of axes.slice(1)) {
    if (a.values.length !== first.values.length) {
      diagnostics.push(diag("LV3021", a.span, { a: first.key, n: first.values.length, b: a.key, m: a.values.length }, { related: [{ span: first.span, message: `${first.values.length} values` }] }));
      return false;
    }
  }
  return true;
}

function noDuplicateKeys(groups: SweepGroup[], diagnostics: Diagnostic[]): void {
  const seen = new Map<string, SweepAxisSpec>();
  for (const g of groups) {
    for (const a of g.axes) {
      const k = a.path.join(".");
      const first = seen.get(k);
      if (first) diagnostics.push(diag("LV2041", a.keySpan, { key: a.key }, { related: [{ span: first.keySpan, message: "first swept here" }] }));
      else seen.set(k, a);
    }
  }
}

/** Number of combinations of the product (before the filter and the limit). */
export function productSize(spec: SweepSpec): number {
  return spec.groups.reduce((n, g) => n * (g.axes[0]?.values.length ?? 1), spec.groups.length ? 1 : 0);
}

export function allAxes(spec: SweepSpec): SweepAxisSpec[] {
  return spec.groups.flatMap((g) => g.axes);
}
