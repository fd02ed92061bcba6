import { showNode, sameTyped, typedLeaves, type TNode } from "./typedJson.js";

// Compares lavisc's resolved tree with the oracle's and sorts every difference into a listed deviation
// (docs/lavis-compatibility.md, "Differences from LAVIS's merge") or an unlisted one, which fails the suite.

export type DiffKind = "extra" | "missing" | "type" | "value" | "length";

export interface Diff {
  readonly path: string;
  readonly kind: DiffKind;
  readonly lavisc?: TNode;
  readonly oracle?: TNode;
}

/** The deviations listed in docs/lavis-compatibility.md; an id here must have a section there. */
export const DEVIATIONS = {
  D1: "lavisc fills in a default the stdlib documents; LAVIS applies it in code (`.get(key, default)`), so the oracle lacks the key",
  D2: "dataset whose default file is keyed by another name (LV4012): lavisc merges the defaults under the dataset's own name",
  D3: "dataset whose default file is keyed by another name (LV4012): LAVIS adds an extra `datasets.<other key>` entry, lavisc does not",
} as const;
export type DeviationId = keyof typeof DEVIATIONS;

export interface Classified extends Diff {
  /** The listed deviation this difference is an instance of, or null (unlisted: a lavisc bug or an unknown deviation). */
  readonly deviation: DeviationId | null;
  /** Why an apparent deviation was not accepted, for the failure message. */
  readonly why?: string;
}

export interface DiffContext {
  /** Dataset name -> the key its default file uses, for datasets whose default file is keyed differently (from the corpus). */
  readonly otherKeys: ReadonlyMap<string, string>;
  /** Datasets lavisc reported LV4012 for (`datasets.<name>` paths). */
  readonly lv4012: ReadonlySet<string>;
  /** How spans name stdlib files (`stdlib/recipe.lv`): documented defaults are declared there. */
  readonly stdlibPrefix: string;
}

/** Structural differences, oracle as the reference. */
export function diffTrees(lavisc: TNode, oracle: TNode, path = ""): Diff[] {
  const out: Diff[] = [];
  const walk = (a: TNode, b: TNode, p: string) => {
    if (a.t !== b.t) return void out.push({ path: p, kind: "type", lavisc: a, oracle: b });
    if (a.t === "map" && b.t === "map") {
      for (const [k, v] of b.v) {
        const w = a.v.get(k);
        const q = p ? `${p}.${k}` : k;
        if (!w) out.push({ path: q, kind: "missing", oracle: v });
        else walk(w, v, q);
      }
      for (const [k, v] of a.v) if (!b.v.has(k)) out.push({ path: p ? `${p}.${k}` : k, kind: "extra", lavisc: v });
      return;
    }
    if (a.t === "list" && b.t === "list") {
      if (a.v.length !== b.v.length) return void out.push({ path: p, kind: "length", lavisc: a, oracle: b });
      a.v.forEach((x, i) => walk(x, b.v[i]!, `${p}[${i}]`));
      return;
    }
    if (!sameTyped(a, b)) out.push({ path: p, kind: "value", lavisc: a, oracle: b });
  };
  walk(lavisc, oracle, path);
  return out;
}

export function classify(diffs: readonly Diff[], lavisc: TNode, ctx: DiffContext): Classified[] {
  return diffs.map((d) => {
    const r = classifyOne(d, lavisc, ctx);
    return typeof r === "string" ? { ...d, deviation: r } : { ...d, deviation: null, why: r.why };
  });
}

function classifyOne(d: Diff, lavisc: TNode, ctx: DiffContext): DeviationId | { why: string } {
  const [section, dataset] = d.path.split(".");
  if (d.kind === "extra") {
    const leaves = [...typedLeaves(d.lavisc!, d.path)];
    const bad = leaves.find(([, n]) => !isDocumentedDefault(n, ctx));
    if (!bad) return "D1";
    if (section === "datasets" && dataset && ctx.otherKeys.has(dataset)) {
      if (!ctx.lv4012.has(dataset)) return { why: `no LV4012 warning for datasets.${dataset}` };
      const other = leaves.find(([, n]) => n.origin?.kind !== "dataset-default" && !isDocumentedDefault(n, ctx));
      return other ? { why: `${other[0]} comes from ${other[1].origin?.kind}` } : "D2";
    }
    const o = bad[1].origin;
    return { why: `${bad[0]} is not a stdlib default (origin ${o?.kind ?? "?"}${o?.file ? ` in ${o.file}` : ""})` };
  }
  if (d.kind === "missing" && section === "datasets" && dataset && d.path === `datasets.${dataset}`) {
    const names = [...ctx.otherKeys].filter(([, other]) => other === dataset).map(([name]) => name);
    if (!names.length) return { why: "no dataset of this file has a default file keyed by this name" };
    const unreported = names.find((n) => !ctx.lv4012.has(n));
    if (unreported) return { why: `no LV4012 warning for datasets.${unreported}` };
    // The defaults LAVIS put under the other key must be what lavisc merged under the dataset's own name.
    for (const [leafPath, leaf] of typedLeaves(d.oracle!, "")) {
      const found = names.some((n) => {
        const mine = lookup(lavisc, `datasets.${n}.${leafPath}`);
        return mine && (sameTyped(mine, leaf) || mine.origin?.kind === "file" || mine.origin?.kind === "override");
      });
      if (!found) return { why: `datasets.${dataset}.${leafPath} = ${showNode(leaf)} is not under ${names.map((n) => `datasets.${n}`).join(" or ")} in lavisc` };
    }
    return "D3";
  }
  return { why: "no listed deviation covers it" };
}

/** A default lavisc fills in from a stdlib declaration (a constant or a formula over other keys). */
function isDocumentedDefault(n: TNode, ctx: DiffContext): boolean {
  const o = n.origin;
  return !!o && (o.kind === "schema-default" || o.kind === "derived" || o.kind === "code-default") && !!o.file && o.file.startsWith(ctx.stdlibPrefix);
}

function lookup(n: TNode, path: string): TNode | undefined {
  let cur: TNode | undefined = n;
  for (const k of path.split(".")) {
    if (!cur || cur.t !== "map") return undefined;
    cur = cur.v.get(k);
  }
  return cur;
}

export function describeDiff(d: Classified): string {
  const what = d.kind === "extra" ? `only in lavisc: ${showNode(d.lavisc)} (${d.lavisc?.origin?.kind ?? "?"})`
    : d.kind === "missing" ? `only in LAVIS: ${showNode(d.oracle)}`
    : `lavisc ${showNode(d.lavisc)} vs LAVIS ${showNode(d.oracle)}`;
  return `${d.path}: ${what}${d.why ? ` [${d.why}]` : ""}`;
}
