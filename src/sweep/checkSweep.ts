// Every trial of a sweep resolved, checked, lowered and planned before any of them runs. A diagnostic that only some
// trials have names the trial and the swept values behind it, with the span of the sweep axis; one that every trial
// has is the experiment's own and is shown once.
import { resolve } from "node:path";
import { diag, sortDiagnostics, withoutCascades, Suppressions, type Diagnostic, type SourceFile } from "../diagnostics/index.js";
import { readerEnv, type FileReader, type LoadedExperiment } from "../project/loadExperiment.js";
import type { Override, Resolved } from "../semantic/resolve.js";
import { check } from "../checker/index.js";
import { lowerToGraph } from "../compiler/lower.js";
import { buildPlan } from "../compiler/plan.js";
import { trainFlopsPerStep } from "../compiler/trainCompute.js";
import type { SweepSpec } from "./spec.js";
import type { Trial } from "./trial.js";
import { setupSweep, expandTrials, materialize as materializeTrial, type SweepOptions, type SweepSetup } from "./expandSweep.js";
import { inTrial } from "./annotate.js";

export type SweepCheckOptions = SweepOptions;

export interface TrialPlan {
  readonly stepsTotal: number | null;
  readonly stepsText: string;
  readonly params: number | null;
  readonly trainFlops: number | null;
  /** The tfjs backend package the run would load (throughput is measured per backend). */
  readonly backendPackage: string | null;
  readonly aggMetric: string | null;
}

export interface TrialSummary {
  readonly trial: Trial;
  readonly errors: number;
  readonly warnings: number;
  readonly outputDir: string | null;
  readonly plan: TrialPlan | null;
}

export interface CheckedSweep {
  readonly setup: SweepSetup;
  readonly file: string;
  readonly name: string;
  readonly loaded: LoadedExperiment;
  readonly overrides: readonly Override[];
  readonly spec: SweepSpec;
  /** The trials that pass the filter and the limit, in product order. */
  readonly trials: readonly TrialSummary[];
  readonly combinations: number;
  readonly filteredOut: number;
  /** Combinations not considered once the limit was reached. */
  readonly beyondLimit: number;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: readonly SourceFile[];
  /** The sweep's folder: given, else `<output_dir>/sweep` of the first trial. */
  readonly sweepDir: string | null;
  readonly opts: SweepCheckOptions;
}

const hasErrors = (ds: readonly Diagnostic[]) => ds.some((d) => d.severity === "error");

export function checkSweep(path: string, reader: FileReader, o: SweepCheckOptions = {}): CheckedSweep {
  const setup = setupSweep(path, reader, o);
  // `lavisc: ignore[...]` comments, as checkFile applies them: to each trial's diagnostics (so the table's counts
  // leave silenced warnings out); one that silences nothing in any trial is reported once.
  const suppressions = new Suppressions(setup.sources, path);
  const perTrial: { trial: Trial; diagnostics: Diagnostic[]; summary: Omit<TrialSummary, "errors" | "warnings"> }[] = [];
  const env = readerEnv(reader);
  const expansion = expandTrials(setup, ({ trial, resolved, diagnostics, outputDir }) => {
    diagnostics.push(...resolved.diagnostics, ...check(resolved, undefined, env));
    const plan = planOf(resolved, diagnostics, o, env);
    // One problem, one error, as checkFile reports it.
    perTrial.push({ trial, diagnostics: suppressions.filter(withoutCascades(diagnostics)), summary: { trial, outputDir, plan } });
  });
  const diagnostics = sortDiagnostics(suppressions.filter(setup.diagnostics));
  if (!perTrial.length && !hasErrors(diagnostics) && expansion.considered) {
    diagnostics.push(diag("LV3022", setup.spec.filter?.span ?? setup.spec.span, { why: `the filter keeps none of the ${expansion.considered} combinations` }));
  }

  // A diagnostic every trial has is the experiment's (or the sweep's) own: shown once, as it is. The others are shown
  // per trial, in trial order.
  const keyOf = (d: Diagnostic) => `${d.code}|${d.span?.file}|${d.span?.start}|${d.span?.end}|${d.path}|${d.message}`;
  const counts = new Map<string, number>();
  for (const t of perTrial) for (const k of new Set(t.diagnostics.map(keyOf))) counts.set(k, (counts.get(k) ?? 0) + 1);
  const common = new Set([...counts].filter(([, n]) => n === perTrial.length).map(([k]) => k));
  const commonShown = new Map<string, Diagnostic>();
  const perTrialShown: Diagnostic[] = [];
  const trials: TrialSummary[] = perTrial.map((t) => {
    for (const d of sortDiagnostics(t.diagnostics)) {
      const k = keyOf(d);
      if (!common.has(k)) perTrialShown.push(inTrial(d, t.trial));
      else if (!commonShown.has(k)) commonShown.set(k, d);
    }
    const errors = t.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = t.diagnostics.filter((d) => d.severity === "warning").length;
    return { ...t.summary, errors, warnings };
  });
  const anyError = hasErrors(diagnostics) || perTrial.some((t) => hasErrors(t.diagnostics));
  diagnostics.push(...suppressions.problems(!anyError));
  return {
    file: path, name: setup.name, setup, loaded: setup.loaded, overrides: setup.overrides, spec: setup.spec, sources: setup.sources, opts: o,
    trials, combinations: expansion.combinations, filteredOut: expansion.filteredOut.length, beyondLimit: expansion.combinations - expansion.considered,
    diagnostics: [...diagnostics, ...sortDiagnostics([...commonShown.values()]), ...perTrialShown], sweepDir: expansion.sweepDir,
  };
}

/** Lowers the checked trial to its graph (adding the graph rules' diagnostics) and plans it. */
function planOf(resolved: Resolved, diagnostics: Diagnostic[], o: SweepCheckOptions, env: NodeJS.ProcessEnv): TrialPlan | null {
  if (hasErrors(diagnostics)) return null;
  const { graph, diagnostics: graphDiags } = lowerToGraph(resolved, {
    ...(o.storageRoot ? { storageRoot: resolve(o.cwd ?? process.cwd(), o.storageRoot) } : {}),
    ...(o.dataRoot ? { dataRoot: resolve(o.cwd ?? process.cwd(), o.dataRoot) } : {}),
    env,
  }, o.engine === "lavis" ? "any" : "tfjs");
  // A value the checker already rejected is not reported again by the graph rules.
  const flagged = new Set(diagnostics.filter((d) => d.path).map((d) => d.path));
  diagnostics.push(...graphDiags.filter((d) => !d.path || !flagged.has(d.path)));
  const plan = buildPlan(graph, { env });
  const params = plan.model.params;
  const steps = plan.steps;
  return {
    stepsTotal: steps?.total ?? null,
    stepsText: steps ? steps.totalText : plan.mode === "evaluate" ? "evaluate only" : "?",
    params: params?.total ?? null,
    trainFlops: params && steps?.total != null ? trainFlopsPerStep(params, graph.run.batchSizeTrain) * steps.total : null,
    backendPackage: plan.backend.package,
    aggMetric: plan.evaluation.find((e) => e.split === "val")?.aggMetric ?? plan.evaluation[0]?.aggMetric ?? null,
  };
}

/** The trial with this id (`t03`). */
export function findTrial(checked: CheckedSweep, id: string): TrialSummary | undefined {
  return checked.trials.find((t) => t.trial.id === id);
}

/** The trial resolved again, with its output folder (and a checkpoint to resume from). */
export function materialize(checked: CheckedSweep, t: TrialSummary, extra: { resumeFrom?: string } = {}): Resolved {
  return materializeTrial(checked.setup, t.trial, t.outputDir, extra);
}
