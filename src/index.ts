// lavisc's public API: the whole front end as one function per use. Each stage returns early on errors, as graphql-js does.
import type { Diagnostic, SourceFile } from "./diagnostics/index.js";
import { loadExperiment, type FileReader, type LoadedExperiment } from "./project/loadExperiment.js";
import { parseOverrides } from "./semantic/overrides.js";
import { resolveExperiment, type Resolved } from "./semantic/resolve.js";
import { check } from "./checker/index.js";
import { trialReference, checkTrial } from "./sweep/selectTrial.js";
import { sweepSpecOf, productSize } from "./sweep/spec.js";
import { diag } from "./diagnostics/index.js";

export interface CompileOptions {
  /** `--set KEY=VALUE` overrides, lavisc syntax. */
  readonly sets?: readonly string[];
  /** `--options KEY=VALUE ...`, LAVIS syntax. */
  readonly options?: readonly string[];
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

export type { FileReader } from "./project/loadExperiment.js";
export type { Resolved } from "./semantic/resolve.js";
