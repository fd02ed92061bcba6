// lavisc's public API: the whole front end as one function per use. Each stage returns early on errors, as graphql-js does.
import { basename } from "node:path";
import { diag, withoutCascades, applySuppressions, type Diagnostic, type SourceFile } from "./diagnostics/index.js";
import { loadExperiment, readerEnv, type FileReader, type LoadedExperiment } from "./project/loadExperiment.js";
import { parseOverrides } from "./semantic/overrides.js";
import { resolveExperiment, type Resolved } from "./semantic/resolve.js";
import { notAProject } from "./semantic/notAProject.js";
import { check } from "./checker/index.js";
import { LAVIS_ENGINE_ONLY } from "./checker/rules/resumeFrozen.js";
import { isSectionShapeError } from "./checker/rules/sectionShape.js";
import { lowerChecked, type LowerOptions } from "./compiler/lower.js";
import type { Graph } from "./compiler/graph.js";
import { trialReference, checkTrial } from "./sweep/selectTrial.js";
import { sweepSpecOf, productSize } from "./sweep/spec.js";

export interface CompileOptions {
  /** `--set KEY=VALUE` overrides, lavisc syntax. */
  readonly sets?: readonly string[];
  /** `--options KEY=VALUE ...`, LAVIS syntax. */
  readonly options?: readonly string[];
  /**
   * How the execution graph is lowered for its rules (LV5xxx), which every command runs: the data roots, and the
   * engine ("any" for check: what only the tfjs engine cannot do is a warning; "tfjs" for plan and run: an error).
   */
  readonly graph?: LowerOptions & { readonly engine?: "tfjs" | "any" };
  /** What the caller does with the experiment (`explain`, `run`): a file without one is then an error (LV2033). */
  readonly experimentFor?: string;
  /**
   * The caller needs a run (`plan`, `graph`, `run`, `data vocab`): a YAML file that is not a project (a default
   * config, an inference config, YAML that is not LAVIS's) is then an error (LV2049), for it has none to lower.
   */
  readonly needsRun?: boolean;
}

export interface CheckResult {
  readonly loaded: LoadedExperiment;
  readonly resolved: Resolved | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: readonly SourceFile[];
  /** The execution graph (null when the experiment did not resolve). */
  readonly graph: Graph | null;
}

/**
 * Loads, resolves and checks one experiment file, the execution graph's rules included, so that `check` reports
 * everything `graph`, `plan` and `run` would refuse. Syntax errors stop before resolution. `FILE#t03` is trial t03 of
 * the file's sweep, with its swept values and its folder under the sweep's.
 */
export function checkFile(path: string, reader: FileReader, opts: CompileOptions = {}): CheckResult {
  const trial = trialReference(path, reader);
  const r = trial ? checkTrial(trial.file, trial.id, reader, opts) : checkExperiment(path, reader, opts);
  // The warnings the files' `lavisc: ignore[...]` comments silence are left out (src/diagnostics/suppressions.ts).
  return { ...r, diagnostics: applySuppressions(r.diagnostics, r.sources, trial ? trial.file : path) };
}

function checkExperiment(path: string, reader: FileReader, opts: CompileOptions): CheckResult {
  const loaded = loadExperiment(path, reader);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const ov = parseOverrides(opts.sets ?? [], opts.options ?? []);
  const sources = [...loaded.sources, ...ov.sources];
  diagnostics.push(...ov.diagnostics);
  if (!loaded.input && opts.experimentFor && !diagnostics.some((d) => d.severity === "error")) diagnostics.push(noExperiment(path, loaded, opts.experimentFor));
  const syntaxErrors = diagnostics.some((d) => d.severity === "error" && d.code < "LV2000");
  if (!loaded.input || syntaxErrors) return { loaded, resolved: null, diagnostics, sources, graph: null };
  const resolved = resolveExperiment(loaded.input, loaded.registry, ov.overrides);
  const tfjsEngine = opts.graph?.engine === "tfjs";
  const env = readerEnv(reader);
  // What fails only under LAVIS (resuming without the frozen parameters LAVIS leaves out) does not concern a tfjs run.
  const checked = [...resolved.diagnostics, ...check(resolved, undefined, env)].filter((d) => !(tfjsEngine && LAVIS_ENGINE_ONLY.has(d.code)));
  diagnostics.push(...checked);
  const sweep = loaded.input.sweep;
  if (sweep) {
    const count = productSize(sweepSpecOf(sweep, []));
    diagnostics.push(diag("LV4030", { ...sweep.span, end: sweep.span.start + "sweep".length }, { count, file: path.replace(/^.*[\\/]/, "") }));
  }
  // Only a project is a run: a default file or an inference config has none to lower, and without a task, a model or
  // a dataset (LV2018) its inputs would all seem missing.
  const role = loaded.input.role ?? "project";
  if (role !== "project" && opts.needsRun) diagnostics.push(notAProject(path, loaded.input, role, opts.experimentFor ?? "run"));
  const notARun = role !== "project" || checked.some((d) => (d.code === "LV2018" && d.severity === "error") || isSectionShapeError(d));
  if (notARun) return { loaded, resolved, diagnostics: withoutCascades(diagnostics), sources, graph: null };
  // What is already reported at a path (while reading the file, too: LV3005) is not reported again by the graph's rules.
  const lowered = lowerChecked(resolved, diagnostics, { env, ...opts.graph });
  diagnostics.push(...lowered.diagnostics);
  return { loaded, resolved, diagnostics: withoutCascades(diagnostics), sources, graph: lowered.graph };
}

/** LV2033: a module (schemas, archs, ...) given to a command that needs an experiment. */
function noExperiment(path: string, loaded: LoadedExperiment, what: string): Diagnostic {
  const kinds = [...new Set((loaded.ast?.declarations ?? []).map((d) => (d.kind === "RegistryDecl" ? `${d.registry}s` : `${d.kind.replace(/Decl$/, "").toLowerCase()}s`)))];
  return diag("LV2033", { file: path, start: 0, end: 0 }, { file: basename(path), what, declares: kinds.length ? kinds.join(", ") : "imports" });
}

export type { FileReader } from "./project/loadExperiment.js";
export type { Resolved } from "./semantic/resolve.js";
