// A project's RunSpec as `lavisc run` lowers it (same checker, same compiler, the default data root), and the
// records of one of its splits read as the runtime reads them, for computing baselines and per-item scores.
import { nodeHost } from "../cli/host.js";
import { checkFile } from "../index.js";
import { lowerToGraph, runSpecOf } from "../compiler/lower.js";
import { datasetForRun, defaultDataRoot } from "../data/index.js";
import { readSplit, type SplitData } from "../runtime/data/annotations.js";
import type { DatasetSpec, RunSpec } from "../runtime/runSpec.js";

export function projectRunSpec(path: string, sets: readonly string[] = [], dataRoot = defaultDataRoot()): RunSpec {
  const checked = checkFile(path, nodeHost(), { sets: [...sets] });
  const bad = checked.diagnostics.filter((d) => d.severity === "error");
  if (!checked.resolved || bad.length) throw new Error(`${path} does not check: ${bad.map((d) => d.message).join("; ")}`);
  const lowered = lowerToGraph(checked.resolved, { dataRoot });
  if (lowered.diagnostics.some((d) => d.severity === "error")) throw new Error(`${path} does not compile: ${lowered.diagnostics.map((d) => d.message).join("; ")}`);
  return runSpecOf(lowered.graph);
}

/** The first dataset of the run that has `split` (the runner evaluates that one), or null. */
export function datasetWith(spec: RunSpec, split: string, format?: DatasetSpec["format"]): DatasetSpec | null {
  return spec.datasets.find((d) => d.splits.some((s) => s.split === split) && (!format || d.format === format)) ?? null;
}

/** The split's records with texts as written in the annotations (no text processor); built-in data is made first. */
export async function rawSplit(ds: DatasetSpec, split: string, train: boolean, dataRoot = defaultDataRoot()): Promise<SplitData> {
  if (ds.prepare) datasetForRun(ds.prepare, dataRoot);
  return readSplit(ds, split, train, (s) => s);
}
