// Every trial of a sweep resolved, checked, lowered and planned before any of them runs. A diagnostic that only some
// trials have names the trial and the swept values behind it, with the span of the sweep axis; one that every trial
// has is the experiment's own and is shown once.
import { resolve as resolvePath, join } from "node:path";
import { diag, fillMessage, trialContext, trialAxisLabel, type Diagnostic, type SourceFile, type Span } from "../diagnostics/index.js";
import { loadExperiment, type FileReader, type LoadedExperiment } from "../project/loadExperiment.js";
import { parseOverrides } from "../semantic/overrides.js";
import { getPath, type CNode } from "../semantic/configTree.js";
import type { Override, Resolved } from "../semantic/resolve.js";
import { check } from "../checker/index.js";
import { lowerToGraph } from "../compiler/lower.js";
import { buildPlan } from "../compiler/plan.js";
import { trainFlopsPerStep } from "../compiler/trainCompute.js";
import { sweepSpecOf, withCommandLineAxes, productSize, emptySweep, type SweepSpec } from "./spec.js";
import { combinations, picksText, resolveTrial, passesFilter, bareKeyNames, setChosenValue, type Trial } from "./trial.js";

/** lavisc resolves and checks every trial before running one; beyond this many it asks for a narrower sweep. */
export const MAX_TRIALS = 1000;

export interface SweepCheckOptions {
  readonly sets?: readonly string[];
  readonly options?: readonly string[];
  /** `--sweep KEY=VALUES`, after the file's axes. */
  readonly sweeps?: readonly string[];
  /** Where the trials' folders go. Default: `<output_dir>/sweep` (made absolute when `cwd` is given). */
  readonly sweepDir?: string;
  readonly dataRoot?: string;
  readonly storageRoot?: string;
  /** Working folder against which a relative output_dir is made absolute (the tfjs engine); absent: kept relative (LAVIS). */
  readonly cwd?: string;
}

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
  const loaded = loadExperiment(path, reader);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const ov = parseOverrides(o.sets ?? [], o.options ?? []);
  const sources = [...loaded.sources, ...ov.sources];
  diagnostics.push(...ov.diagnostics);
  let spec = emptySweep;
  if (loaded.input?.sweep) spec = sweepSpecOf(loaded.input.sweep, diagnostics);
  spec = withCommandLineAxes(spec, o.sweeps ?? [], diagnostics, sources);
  const name = loaded.ast?.declarations.find((d) => d.kind === "ExperimentDecl")?.name.name ?? path.replace(/^.*[\\/]/, "").replace(/\.\w+$/, "");
  const base = { file: path, name, loaded, overrides: ov.overrides, spec, sources, opts: o };
  const none = (extra: Diagnostic[] = []) => ({ ...base, trials: [], combinations: productSize(spec), filteredOut: 0, beyondLimit: 0, diagnostics: [...diagnostics, ...extra], sweepDir: o.sweepDir ?? null });

  if (!loaded.input || hasErrors(diagnostics)) return none();
  if (!spec.groups.length) return none([diag("LV3022", null, { why: `${path} declares no \`sweep\` block and no --sweep was given` })]);
  const swept = new Set(spec.groups.flatMap((g) => g.axes.map((a) => a.path.join("."))));
  const clashes = ov.overrides.filter((x) => swept.has(x.path.join(".")));
  if (clashes.length) return none(clashes.map((x) => diag("LV2033", x.node.origin.span, { key: x.path.join(".") })));

  const total = productSize(spec);
  const toCheck = spec.filter ? total : Math.min(total, spec.limit ?? total);
  if (toCheck > MAX_TRIALS) return none([diag("LV3024", spec.span, { count: toCheck, max: MAX_TRIALS })]);

  const perTrial: { trial: Trial; diagnostics: Diagnostic[]; summary: Omit<TrialSummary, "errors" | "warnings"> }[] = [];
  let filteredOut = 0, considered = 0;
  let sweepDir = o.sweepDir ?? null;
  let filterNamesChecked = false;
  for (const trial of combinations(spec, total)) {
    if (spec.limit !== null && perTrial.length >= spec.limit) break;
    considered++;
    const own: Diagnostic[] = [];
    const resolved = resolveTrial(loaded.input, loaded.registry, ov.overrides, trial, own);
    if (spec.filter && !filterNamesChecked) {
      filterNamesChecked = true;
      const bare = bareKeyNames(spec.filter, resolved);
      if (bare.length) return none(bare.map((b) => diag("LV2035", b.ref.span, { name: b.ref.path[0]!.name, section: b.section })));
    }
    if (spec.filter) {
      const f = passesFilter(resolved, spec.filter);
      if ("keep" in f && !f.keep) {
        filteredOut++;
        continue;
      }
      if ("undecided" in f) own.push(diag("LV3023", spec.filter.span, { trial: trial.id, detail: f.undecided }));
    }
    if (sweepDir === null) {
      const baseDir = stringAt(resolved, ["run", "output_dir"]);
      if (baseDir !== null) sweepDir = o.cwd ? resolvePath(o.cwd, baseDir, "sweep") : join(baseDir, "sweep");
    }
    const outputDir = sweepDir === null ? null : join(sweepDir, trial.id);
    if (outputDir !== null) setChosenValue(resolved, ["run", "output_dir"], outputDir, `the sweep's folder for trial ${trial.id}`);
    own.push(...resolved.diagnostics, ...check(resolved));
    const plan = planOf(resolved, own, o);
    perTrial.push({ trial, diagnostics: own, summary: { trial, outputDir, plan } });
  }
  if (!perTrial.length) {
    return { ...none([diag("LV3022", spec.filter?.span ?? spec.span, { why: `the filter keeps none of the ${considered} combinations` })]), filteredOut };
  }

  // A diagnostic every trial has is the experiment's (or the sweep's) own: shown once, as it is.
  const keyOf = (d: Diagnostic) => `${d.code}|${d.span?.file}|${d.span?.start}|${d.span?.end}|${d.path}|${d.message}`;
  const counts = new Map<string, number>();
  for (const t of perTrial) for (const k of new Set(t.diagnostics.map(keyOf))) counts.set(k, (counts.get(k) ?? 0) + 1);
  const common = new Set([...counts].filter(([, n]) => n === perTrial.length).map(([k]) => k));
  const shownCommon = new Set<string>();
  const trials: TrialSummary[] = perTrial.map((t) => {
    for (const d of t.diagnostics) {
      const k = keyOf(d);
      if (!common.has(k)) diagnostics.push(inTrial(d, t.trial));
      else if (!shownCommon.has(k)) {
        shownCommon.add(k);
        diagnostics.push(d);
      }
    }
    const errors = t.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = t.diagnostics.filter((d) => d.severity === "warning").length;
    return { ...t.summary, errors, warnings };
  });
  return { ...base, trials, combinations: total, filteredOut, beyondLimit: total - considered, diagnostics, sweepDir };
}

function stringAt(r: Resolved, path: readonly string[]): string | null {
  const n: CNode | undefined = getPath(r.root, path);
  return n?.kind === "scalar" && typeof n.value === "string" ? n.value : null;
}

/** Lowers the checked trial to its graph (adding the graph rules' diagnostics) and plans it. */
function planOf(resolved: Resolved, diagnostics: Diagnostic[], o: SweepCheckOptions): TrialPlan | null {
  if (hasErrors(diagnostics)) return null;
  const { graph, diagnostics: graphDiags } = lowerToGraph(resolved, {
    ...(o.storageRoot ? { storageRoot: o.storageRoot } : {}),
    ...(o.dataRoot ? { dataRoot: o.dataRoot } : {}),
  });
  // A value the checker already rejected is not reported again by the graph rules.
  const flagged = new Set(diagnostics.filter((d) => d.path).map((d) => d.path));
  diagnostics.push(...graphDiags.filter((d) => !d.path || !flagged.has(d.path)));
  const plan = buildPlan(graph);
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

/** The trial's context on a diagnostic: its id and the values behind it in the message, the axes as related spans. */
export function inTrial(d: Diagnostic, trial: Trial): Diagnostic {
  const spans: Span[] = [...(d.span ? [d.span] : []), ...d.related.map((r) => r.span)];
  const inside = (s: Span, outer: Span) => s.file === outer.file && s.start >= outer.start && s.end <= outer.end;
  const implicated = trial.picks.filter((p) => d.path === p.axis.path.join(".") || spans.some((s) => inside(s, p.value.span) || inside(s, p.axis.keySpan)));
  const shown = implicated.length ? implicated : trial.picks;
  const same = (a: Span, b: Span) => a.file === b.file && a.start === b.start && a.end === b.end;
  const related = shown
    .filter((p) => !spans.some((s) => same(s, p.value.span)))
    .map((p) => ({ span: p.value.span, message: fillMessage(trialAxisLabel, { trial: trial.id, key: p.axis.key, value: p.value.text }) }));
  return { ...d, message: fillMessage(trialContext, { trial: trial.id, values: picksText(shown), message: d.message }), related: [...d.related, ...related] };
}

/** The trial with this id (`t03`), for `lavisc plan FILE#t03` and the runner. */
export function findTrial(checked: CheckedSweep, id: string): TrialSummary | undefined {
  return checked.trials.find((t) => t.trial.id === id);
}

/** The trial resolved again (resolution is cheap; resolved trees are not kept for every trial). */
export function materialize(checked: CheckedSweep, t: TrialSummary, extra: { resumeFrom?: string } = {}): Resolved {
  const own: Diagnostic[] = [];
  const resolved = resolveTrial(checked.loaded.input!, checked.loaded.registry, checked.overrides, t.trial, own);
  if (t.outputDir !== null) setChosenValue(resolved, ["run", "output_dir"], t.outputDir, `the sweep's folder for trial ${t.trial.id}`);
  if (extra.resumeFrom) setChosenValue(resolved, ["run", "resume_ckpt_path"], extra.resumeFrom, `the sweep resumes trial ${t.trial.id}`);
  return resolved;
}
