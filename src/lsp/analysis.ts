import { extname } from "node:path";
import { checkFile, type CheckResult, type FileReader } from "../index.js";
import { SourceSet, sortDiagnostics, dedupeDiagnostics, type Diagnostic } from "../diagnostics/index.js";
import { resolveExperiment, type Resolved } from "../semantic/resolve.js";
import type { Registry } from "../semantic/registry.js";
import type { CMap } from "../semantic/configTree.js";
import type * as A from "../syntax/ast.js";

// One analysis of an open document: what `lavisc check` reports for it, plus what the editor features read (the file
// layer with spans, the resolved experiment even when the file has syntax errors, the registry, the `.lv` AST).

export interface Analysis {
  readonly path: string;
  readonly text: string;
  readonly format: "lv" | "yaml";
  /**
   * Exactly `lavisc check`'s diagnostics for this file (deduplicated and sorted as the CLI prints them), once the
   * split sizes it reads are counted: before, without the checks that need them (splitCounting.ts).
   */
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: SourceSet;
  readonly registry: Registry;
  /** The file's own layer ({model, datasets, run}), whose nodes carry spans in this file. */
  readonly fileLayer: CMap | null;
  /** The resolved experiment; computed despite syntax errors, so hover and completion keep working while typing. */
  readonly resolved: Resolved | null;
  readonly ast: A.File | null;
  /** Files the analysis read besides the stdlib (imports, extends targets), to re-check dependents on change. */
  readonly dependencies: readonly string[];
  readonly check: CheckResult;
}

/** LAVIS YAML has a `model`, `datasets` or `run` section; other YAML in the workspace is left alone. */
export function isLavisYaml(text: string): boolean {
  return /^(?:model|datasets|run)\s*:/m.test(text);
}

export function analyze(path: string, reader: FileReader): Analysis {
  const check = checkFile(path, reader);
  const sources = new SourceSet();
  for (const s of check.sources) sources.add(s);
  const loaded = check.loaded;
  let resolved = check.resolved;
  if (!resolved && loaded.input) {
    try {
      resolved = resolveExperiment(loaded.input, loaded.registry);
    } catch {
      resolved = null; // a file broken enough to confuse the resolver still gets its diagnostics
    }
  }
  const text = sources.get(path)?.text ?? "";
  const format = /\.ya?ml$/i.test(extname(path)) ? "yaml" : "lv";
  const dependencies = check.sources.map((s) => s.path).filter((p) => p !== path && !p.startsWith("stdlib/"));
  return {
    path, text, format,
    diagnostics: sortDiagnostics(dedupeDiagnostics(check.diagnostics)),
    sources, registry: loaded.registry, fileLayer: loaded.input?.root ?? null, resolved, ast: loaded.ast, dependencies, check,
  };
}
