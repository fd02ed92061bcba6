// lavisc's public API: the whole front end as one function per use. Each stage returns early on errors, as graphql-js does.
import { basename } from "node:path";
import { diag, type Diagnostic, type SourceFile } from "./diagnostics/index.js";
import { loadExperiment, type FileReader, type LoadedExperiment } from "./project/loadExperiment.js";
import { parseOverrides } from "./semantic/overrides.js";
import { resolveExperiment, type Resolved } from "./semantic/resolve.js";
import { check } from "./checker/index.js";
import { trialReference, checkTrial } from "./sweep/selectTrial.js";
import { sweepSpecOf, productSize } from "./sweep/spec.js";

export interface CompileOptions {
  /** `--set KEY=VALUE` overrides, lavisc syntax. */
  readonly sets?: readonly string[];
  /** `--options KEY=VALUE ...`, LAVIS syntax. */
  readonly options?: readonly string[];
  /** What the caller does with the experiment (`explain`, `run`): a file without one is then an error (LV2033). */
  readonly experimentFor?: string;
}

export interface CheckResult {
  readonly loaded: LoadedExperiment;
  readonly resolved: Resolved | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: readonly SourceFile[];
}

/**
 * Loads, resolves and checks one experiment file. Syntax errors stop before resolution. `FILE#t03` is trial t03 of
 * the file's sweep, with its swept values and its folder under the sweep's.
 */
export function checkFile(path: string, reader: FileReader, opts: CompileOptions = {}): CheckResult {
  const trial = trialReference(path, reader);
  if (trial) return checkTrial(trial.file, trial.id, reader, opts);
  const loaded = loadExperiment(path, reader);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const ov = parseOverrides(opts.sets ?? [], opts.options ?? []);
  const sources = [...loaded.sources, ...ov.sources];
  diagnostics.push(...ov.diagnostics);
  if (!loaded.input && opts.experimentFor && !diagnostics.some((d) => d.severity === "error")) diagnostics.push(noExperiment(path, loaded, opts.experimentFor));
  const syntaxErrors = diagnostics.some((d) => d.severity === "error" && d.code < "LV2000");
  if (!loaded.input || syntaxErrors) return { loaded, resolved: null, diagnostics, sources };
  const resolved = resolveExperiment(loaded.input, loaded.registry, ov.overrides);
  diagnostics.push(...resolved.diagnostics, ...check(resolved));
  const sweep = loaded.input.sweep;
  if (sweep) {
    const count = productSize(sweepSpecOf(sweep, []));
    diagnostics.push(diag("LV4030", { ...sweep.span, end: sweep.span.start + "sweep".length }, { count, file: path.replace(/^.*[\\/]/, "") }));
  }
  return { loaded, resolved, diagnostics, sources };
}

/** LV2033: a module (schemas, archs, ...) given to a command that needs an experiment. */
function noExperiment(path: string, loaded: LoadedExperiment, what: string): Diagnostic {
  const kinds = [...new Set((loaded.ast?.declarations ?? []).map((d) => (d.kind === "RegistryDecl" ? `${d.registry}s` : `${d.kind.replace(/Decl$/, "").toLowerCase()}s`)))];
  return diag("LV2033", { file: path, start: 0, end: 0 }, { file: basename(path), what, declares: kinds.length ? kinds.join(", ") : "imports" });
}

export type { FileReader } from "./project/loadExperiment.js";
export type { Resolved } from "./semantic/resolve.js";
