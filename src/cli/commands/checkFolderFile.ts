import { checkFile } from "../../index.js";
import { dedupeDiagnostics, SourceFile } from "../../diagnostics/index.js";
import { plainConfig } from "../../semantic/configTree.js";
import type { Host } from "../host.js";
import type { FileOutcome } from "./checkSummary.js";

// One file of a folder check, as the main thread and the worker threads of a parallel check both do it
// (checkAcrossThreads.ts), so that a file's outcome is the same whichever thread checked it.

export interface FolderCheckOptions {
  readonly sets: readonly string[];
  readonly options: readonly string[];
  /** Also return each project's resolved configuration as plain data (a batch driver writes it out). */
  readonly withResolved?: boolean;
}

export interface FolderFileResult {
  readonly outcome: FileOutcome;
  /** The sources its diagnostics point into (all of them on the main thread; a worker sends only those). */
  readonly sources: readonly SourceFile[];
  /** The resolved configuration, when asked for and the file resolved without errors. */
  readonly resolved?: unknown;
}

export async function checkFolderFile(path: string, host: Host, o: FolderCheckOptions): Promise<FolderFileResult> {
  const r = checkFile(path, host, { sets: [...o.sets], options: [...o.options] });
  const input = r.loaded.input;
  const role = input ? input.role ?? "project" : r.loaded.ast ? "module" : null;
  if (input?.sweep) return checkSweepFile(path, host, o, role, r.loaded.extension);
  // In a folder, YAML that is not a LAVIS config (a conda environment, a workflow) is skipped, not reported.
  const diagnostics = role === "not-lavis" ? [] : dedupeDiagnostics(r.diagnostics);
  const clean = !diagnostics.some((d) => d.severity === "error");
  return {
    outcome: { file: path, role, diagnostics, extension: r.loaded.extension },
    sources: r.sources,
    resolved: o.withResolved && clean && r.resolved ? plainConfig(r.resolved.root) : undefined,
  };
}

/** A file with a sweep: every trial is checked, as `lavisc check FILE` does (its diagnostics name the trial). */
async function checkSweepFile(path: string, host: Host, o: FolderCheckOptions, role: FileOutcome["role"], extension: FileOutcome["extension"]): Promise<FolderFileResult> {
  const { checkSweep } = await import("../../sweep/checkSweep.js");
  const c = checkSweep(path, host, { sets: [...o.sets], options: [...o.options], cwd: host.cwd });
  return { outcome: { file: path, role, diagnostics: dedupeDiagnostics(c.diagnostics), extension }, sources: c.sources };
}

/** The result as a message between threads: only the sources a diagnostic points into travel, with their text. */
export function toMessage(result: FolderFileResult): FolderFileMessage {
  const used = new Set<string>();
  for (const d of result.outcome.diagnostics) {
    if (d.span) used.add(d.span.file);
    for (const rel of d.related) used.add(rel.span.file);
  }
  const sources = result.sources.filter((s) => used.has(s.path)).map((s) => ({ path: s.path, text: s.text }));
  return { outcome: result.outcome, sources, resolved: result.resolved };
}

export function fromMessage(m: FolderFileMessage): FolderFileResult {
  return { outcome: m.outcome, sources: m.sources.map((s) => new SourceFile(s.path, s.text)), resolved: m.resolved };
}

export interface FolderFileMessage {
  readonly outcome: FileOutcome;
  readonly sources: readonly { readonly path: string; readonly text: string }[];
  readonly resolved?: unknown;
}
