// One trial of a sweep as an experiment of its own: `FILE#t03` wherever lavisc takes an experiment file (`check`,
// `explain`, `plan`, `graph`, `export`, `run`, `diff`). Its output folder is the one the sweep gives it.
import { diag, withoutCascades, type Diagnostic } from "../diagnostics/index.js";
import { readerEnv, type FileReader } from "../project/loadExperiment.js";
import { check } from "../checker/index.js";
import { lowerChecked } from "../compiler/lower.js";
import type { CheckResult, CompileOptions } from "../index.js";
import { setupSweep, expandTrials, type ExpandedTrial } from "./expandSweep.js";
import { inTrial } from "./annotate.js";

/** `sweep.lv#t03` → the file and the trial id, when the path names a trial (and no file of that name exists). */
export function trialReference(path: string, reader: FileReader): { file: string; id: string } | null {
  const m = /^(.*)#(t\d+)$/.exec(path);
  if (!m || reader.exists(path)) return null;
  return { file: m[1]!, id: m[2]! };
}

export function checkTrial(file: string, id: string, reader: FileReader, opts: CompileOptions = {}): CheckResult {
  const setup = setupSweep(file, reader, { sets: opts.sets ?? [], options: opts.options ?? [] });
  let found: ExpandedTrial | null = null;
  const expansion = expandTrials(setup, (t) => {
    if (t.trial.id !== id) return true;
    found = t;
    return false;
  });
  const diagnostics: Diagnostic[] = [...setup.diagnostics];
  const t = found as ExpandedTrial | null;
  if (!t) {
    if (!diagnostics.some((d) => d.severity === "error")) {
      const dropped = expansion.filteredOut.some((x) => x.id === id);
      diagnostics.push(diag("LV2046", setup.spec.span && { ...setup.spec.span, end: setup.spec.span.start + "sweep".length }, { id, file: file.replace(/^.*[\\/]/, ""), why: dropped ? "the sweep's filter removes it" : `the sweep has ${expansion.combinations} combinations${setup.spec.limit !== null ? ` and a limit of ${setup.spec.limit}` : ""}` }));
    }
    return { loaded: setup.loaded, resolved: null, diagnostics, sources: setup.sources, graph: null };
  }
  const env = readerEnv(reader);
  const checked = [...t.resolved.diagnostics, ...check(t.resolved, undefined, env)];
  // The execution graph's rules, as checkFile runs them for any experiment.
  const lowered = lowerChecked(t.resolved, checked, { env, ...opts.graph });
  diagnostics.push(...withoutCascades([...t.diagnostics, ...checked, ...lowered.diagnostics]).map((d) => inTrial(d, t.trial)));
  return { loaded: setup.loaded, resolved: t.resolved, diagnostics, sources: setup.sources, graph: lowered.graph };
}
