import type { CheckResult } from "../../src/index.js";
import { typedJson, typedLeaves, type TypedJson } from "../../src/interop/configCompare.js";
import { leaves } from "../../src/semantic/configTree.js";

// How a clean lavisc result and LAVIS's merge of the same project may differ: lavisc adds documented defaults
// (deviation D1) and differs on datasets keyed by another name (D2/D3), both in docs/lavis-compatibility.md; anything
// else is a difference. Shared by the fuzzers that compare the two (mergeFuzz, optionsFuzz), with the loop that
// compares a batch of cases.

/** Where lavisc's clean result differs from LAVIS's merge, beyond the listed deviations. */
export function mergeDifferences(r: CheckResult, theirs: TypedJson): string[] {
  const mine = typedLeaves(typedJson(r.resolved!.root));
  const lavis = typedLeaves(theirs);
  const origins = new Map(leaves(r.resolved!.root).map(([p, n]) => [p.join("."), n.origin.kind]));
  const keyedElsewhere = new Set(r.diagnostics.filter((d) => d.code === "LV4012").map((d) => d.path?.split(".")[1]));
  const datasetOf = (p: string) => (p.startsWith("datasets.") ? p.split(".")[1]! : null);
  const mineDatasets = new Set([...mine.keys()].map(datasetOf).filter((d): d is string => !!d));
  const out: string[] = [];
  for (const [p, v] of lavis) {
    const ds = datasetOf(p);
    if (p.startsWith("preprocess") || v === '"???"' || (ds && (!mineDatasets.has(ds) || keyedElsewhere.has(ds)))) continue;
    if (mine.get(p) !== v) out.push(`${p}: LAVIS ${v}, lavisc ${mine.get(p) ?? "(absent)"}`);
  }
  for (const [p, v] of mine) {
    const ds = datasetOf(p);
    if (lavis.has(p) || p.startsWith("preprocess") || (ds && keyedElsewhere.has(ds))) continue;
    const kind = origins.get(p);
    if (kind !== "schema-default" && kind !== "derived" && kind !== "code-default") out.push(`${p}: only in lavisc, ${v} (${kind})`);
  }
  return out;
}

/** A case: a file lavisc checked (`result`), and how to name it in a failure. */
export interface MergeCase {
  readonly file: string;
  readonly label: string;
  readonly result: CheckResult;
}

/**
 * Where lavisc disagrees with LAVIS's merge of each case (`theirs`, by file): LAVIS stops and lavisc reports no error,
 * or both accept and a value differs; and how many cases were compared value by value.
 */
export function disagreements(cases: readonly MergeCase[], theirs: Readonly<Record<string, TypedJson>>): { problems: string[]; compared: number } {
  const problems: string[] = [];
  let compared = 0;
  for (const c of cases) {
    const lavis = theirs[c.file]!;
    const lavisStops = !!lavis && typeof lavis === "object" && !Array.isArray(lavis) && "$error" in lavis;
    const errors = c.result.diagnostics.filter((d) => d.severity === "error");
    if (lavisStops) {
      if (!errors.length) problems.push(`${c.label}: LAVIS stops (${JSON.stringify(lavis).slice(0, 160)}), lavisc reports no error`);
      continue;
    }
    if (errors.length || !c.result.resolved) continue; // lavisc refuses what LAVIS merges: its checks, not the merge
    compared++;
    const d = mergeDifferences(c.result, lavis);
    if (d.length) problems.push(`${c.label}: ${d.slice(0, 3).join("; ")}`);
  }
  return { problems, compared };
}
