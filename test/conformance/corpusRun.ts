import { join } from "node:path";
import { checkInWorker, type CheckJob, type FileResult } from "./checkCorpus.js";
import { oracleSummary, oracleText, otherDatasetKey, projectFiles } from "./corpus.js";
import { classify, diffTrees, type Classified, type DiffContext } from "./oracleDiff.js";
import { parseTypedJson, type TNode } from "./typedJson.js";

// One lavisc pass over the whole corpus, compared with the oracle: what the conformance tests assert on.

export interface CorpusRun {
  readonly files: readonly string[];
  readonly results: ReadonlyMap<string, FileResult>;
  /** "ok" or LAVIS's error, per file. */
  readonly oracle: ReadonlyMap<string, string>;
  /** Classified differences per file LAVIS accepts and lavisc resolves. */
  readonly diffs: ReadonlyMap<string, readonly Classified[]>;
  /** Files LAVIS accepts that lavisc did not resolve at all (stopped on a syntax error). */
  readonly unresolved: readonly string[];
}

/** Spans name stdlib files logically, `stdlib/<file>.lv`, wherever lavisc is installed (src/project/stdlib.ts). */
const STDLIB_PREFIX = "stdlib/";

export async function runCorpus(root: string): Promise<CorpusRun> {
  const files = projectFiles(root);
  const jobs: CheckJob[] = files.map((rel) => ({ path: join(root, rel), rel }));
  const list = await checkInWorker(jobs);
  const results = new Map(list.map((r) => [r.rel, r]));
  const oracle = oracleSummary(root);
  const diffs = new Map<string, Classified[]>();
  const unresolved: string[] = [];
  for (const rel of files) {
    const r = results.get(rel)!;
    if (oracle.get(rel) !== "ok") continue;
    if (!r.tree) {
      unresolved.push(rel);
      continue;
    }
    const expected = parseTypedJson(oracleText(root, rel));
    diffs.set(rel, compareWithOracle(root, r, expected));
  }
  return { files, results, oracle, diffs, unresolved };
}

/** Differences between one lavisc result and the oracle's merged config, each sorted into a deviation or not. */
export function compareWithOracle(root: string, r: FileResult, expected: TNode): Classified[] {
  return classify(diffTrees(r.tree!, expected), r.tree!, diffContext(root, r, expected));
}

function diffContext(root: string, r: FileResult, expected: TNode): DiffContext {
  const otherKeys = new Map<string, string>();
  const datasets = expected.t === "map" ? expected.v.get("datasets") : undefined;
  if (datasets?.t === "map") {
    for (const [name, cfg] of datasets.v) {
      const t = cfg.t === "map" ? cfg.v.get("type") : undefined;
      const other = otherDatasetKey(root, name, t?.t === "string" ? String(t.v) : "default");
      if (other) otherKeys.set(name, other);
    }
  }
  const lv4012 = new Set(r.diagnostics.filter((d) => d.code === "LV4012" && d.path?.startsWith("datasets.")).map((d) => d.path!.slice("datasets.".length)));
  return { otherKeys, lv4012, stdlibPrefix: STDLIB_PREFIX };
}
