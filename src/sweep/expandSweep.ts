// From a file (and `--sweep`, `--set` arguments) to its trials, each resolved with its output folder: the part of the
// sweep that `lavisc check FILE#t03` and every command given a trial need, without the graph and the plan.
import { resolve as resolvePath, join } from "node:path";
import { diag, type Diagnostic, type SourceFile } from "../diagnostics/index.js";
import { loadExperiment, type FileReader, type LoadedExperiment } from "../project/loadExperiment.js";
import { parseOverrides } from "../semantic/overrides.js";
import { notAProject } from "../semantic/notAProject.js";
import { experimentSpan } from "../semantic/experimentSpan.js";
import { getPath, type Origin } from "../semantic/configTree.js";
import type { Override, Resolved } from "../semantic/resolve.js";
import { sweepSpecOf, withCommandLineAxes, productSize, emptySweep, MAX_TRIALS, type SweepSpec } from "./spec.js";
import { combinations, resolveTrial, passesFilter, bareKeyNames, setChosenValue, type Trial } from "./trial.js";


export interface SweepOptions {
  readonly sets?: readonly string[];
  readonly options?: readonly string[];
  /** `--sweep KEY=VALUES`, after the file's axes. */
  readonly sweeps?: readonly string[];
  /** Where the trials' folders go. Default: `<output_dir>/sweep` (made absolute when `cwd` is given). */
  readonly sweepDir?: string;
  /** Working folder against which a relative output_dir is made absolute (the tfjs engine); absent: kept relative (LAVIS). */
  readonly cwd?: string;
  readonly dataRoot?: string;
  readonly storageRoot?: string;
  /** The engine the trials are for: "lavis" (`--engine lavis --export`) leaves out what only the tfjs engine refuses. Default tfjs. */
  readonly engine?: "tfjs" | "lavis";
}

export interface SweepSetup {
  readonly file: string;
  readonly name: string;
  readonly loaded: LoadedExperiment;
  readonly overrides: readonly Override[];
  readonly spec: SweepSpec;
  readonly sources: SourceFile[];
  /** Loading, override and sweep diagnostics; with an error, there are no trials. */
  readonly diagnostics: Diagnostic[];
  readonly opts: SweepOptions;
}

export interface ExpandedTrial {
  readonly trial: Trial;
  readonly resolved: Resolved;
  /** The filter's verdict when it cannot decide, and what lowering the swept values reported. */
  readonly diagnostics: Diagnostic[];
  readonly outputDir: string | null;
}

export interface ExpansionResult {
  readonly combinations: number;
  readonly considered: number;
  readonly filteredOut: readonly Trial[];
  readonly sweepDir: string | null;
}

const hasErrors = (ds: readonly Diagnostic[]) => ds.some((d) => d.severity === "error");

export function setupSweep(path: string, reader: FileReader, o: SweepOptions = {}): SweepSetup {
  const loaded = loadExperiment(path, reader);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const ov = parseOverrides(o.sets ?? [], o.options ?? []);
  const sources = [...loaded.sources, ...ov.sources];
  diagnostics.push(...ov.diagnostics);
  let spec = emptySweep;
  if (loaded.input?.sweep) spec = sweepSpecOf(loaded.input.sweep, diagnostics);
  spec = withCommandLineAxes(spec, o.sweeps ?? [], diagnostics, sources);
  const name = loaded.ast?.declarations.find((d) => d.kind === "ExperimentDecl")?.name.name ?? path.replace(/^.*[\\/]/, "").replace(/\.\w+$/, "");
  const setup = { file: path, name, loaded, overrides: ov.overrides, spec, sources, diagnostics, opts: o };
  if (!loaded.input || hasErrors(diagnostics)) return setup;
  const role = loaded.input.role ?? "project";
  if (role !== "project") {
    diagnostics.push(notAProject(path, loaded.input, role, "sweep"));
    return setup;
  }
  if (!spec.groups.length) diagnostics.push(diag("LV3022", experimentSpan(loaded.input), { why: `${path.replace(/^.*[\\/]/, "")} declares no \`sweep\` block and no --sweep was given` }));
  const swept = new Set(spec.groups.flatMap((g) => g.axes.map((a) => a.path.join("."))));
  for (const x of ov.overrides.filter((x) => swept.has(x.path.join(".")))) diagnostics.push(diag("LV2043", x.node.origin.span, { key: x.path.join(".") }));
  const total = productSize(spec);
  const toCheck = spec.filter ? total : Math.min(total, spec.limit ?? total);
  if (toCheck > MAX_TRIALS) diagnostics.push(diag("LV3024", spec.span, { count: toCheck, max: MAX_TRIALS }));
  return setup;
}

/**
 * Resolves the trials in product order, drops those the filter rejects, stops at the limit, and gives each kept trial
 * its output folder; `each` returns false to stop early. Nothing happens when the setup has errors.
 */
export function expandTrials(s: SweepSetup, each: (t: ExpandedTrial) => boolean | void): ExpansionResult {
  const total = productSize(s.spec);
  const result = { combinations: total, considered: 0, filteredOut: [] as Trial[], sweepDir: s.opts.sweepDir ?? null };
  const input = s.loaded.input;
  if (!input || hasErrors(s.diagnostics)) return result;
  let kept = 0;
  let filterNamesChecked = false;
  for (const trial of combinations(s.spec, total)) {
    if (s.spec.limit !== null && kept >= s.spec.limit) break;
    result.considered++;
    const own: Diagnostic[] = [];
    const resolved = resolveTrial(input, s.loaded.registry, s.overrides, trial, own);
    const filter = s.spec.filter;
    if (filter && !filterNamesChecked) {
      filterNamesChecked = true;
      const bare = bareKeyNames(filter, resolved);
      if (bare.length) {
        s.diagnostics.push(...bare.map((b) => diag("LV2045", b.ref.span, { name: b.ref.path[0]!.name, section: b.section })));
        return result;
      }
    }
    if (filter) {
      const f = passesFilter(resolved, filter);
      if ("keep" in f && !f.keep) {
        result.filteredOut.push(trial);
        continue;
      }
      if ("undecided" in f) own.push(diag("LV3023", filter.span, { trial: trial.id, detail: f.undecided }));
    }
    result.sweepDir ??= defaultSweepDir(resolved, s.opts.cwd, new Set(s.spec.groups.flatMap((g) => g.axes.map((a) => a.path.join(".")))));
    const outputDir = result.sweepDir === null ? null : join(result.sweepDir, trial.id);
    if (outputDir !== null) setChosenValue(resolved, ["run", "output_dir"], outputDir, `the sweep's folder for trial ${trial.id}`);
    kept++;
    if (each({ trial, resolved, diagnostics: own, outputDir }) === false) break;
  }
  return result;
}

/**
 * `<output_dir>/sweep`, absolute against `cwd` when given. Where output_dir reads a swept key
 * (`"output/lr_${recipe.init_lr}"`), the first trial's value would name the folder of every trial after that trial's
 * learning rate: the folder is then the part of its template before the first reference (`output/sweep`).
 */
function defaultSweepDir(resolved: Resolved, cwd: string | undefined, swept: ReadonlySet<string>): string | null {
  const n = getPath(resolved.root, ["run", "output_dir"]);
  if (n?.kind !== "scalar" || typeof n.value !== "string") return null;
  const folder = readsAny(n.origin, swept) ? staticFolder(n.origin.from) ?? n.value : n.value;
  return cwd ? resolvePath(cwd, folder, "sweep") : join(folder, "sweep");
}

function readsAny(origin: Origin, paths: ReadonlySet<string>): boolean {
  return (origin.deps ?? []).some((d) => paths.has(d.path) || readsAny(d.origin, paths));
}

/** The folder a template's text names before its first `${...}` (`= "output/lr_${...}"` -> `output`), or null. */
function staticFolder(from: string | undefined): string | null {
  const template = from && /^=\s*(["'])(.*)\1$/.exec(from.trim());
  if (!template || !template[2]!.includes("${")) return null;
  const prefix = template[2]!.slice(0, template[2]!.indexOf("${"));
  return prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) || "/" : ".";
}

/** A kept trial resolved again (resolution is cheap; resolved trees are not kept for every trial). */
export function materialize(s: SweepSetup, trial: Trial, outputDir: string | null, extra: { resumeFrom?: string } = {}): Resolved {
  const resolved = resolveTrial(s.loaded.input!, s.loaded.registry, s.overrides, trial, []);
  if (outputDir !== null) setChosenValue(resolved, ["run", "output_dir"], outputDir, `the sweep's folder for trial ${trial.id}`);
  if (extra.resumeFrom) setChosenValue(resolved, ["run", "resume_ckpt_path"], extra.resumeFrom, `the sweep resumes trial ${trial.id}`);
  return resolved;
}
