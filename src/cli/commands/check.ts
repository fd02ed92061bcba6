import { resolve } from "node:path";
import type { Host } from "../host.js";
import { ExitCode } from "../exitCodes.js";
import { checkFile } from "../../index.js";
import { SourceSet, sortDiagnostics, renderDiagnostics, diagnosticsToJson, type Diagnostic } from "../../diagnostics/index.js";
import { configFilesIn, summaryJson, summaryText, type FileOutcome } from "./checkSummary.js";

export interface CheckOptions {
  readonly format: "text" | "json";
  readonly set: string[];
  readonly options?: string[];
  readonly maxErrors?: number;
}

/**
 * `lavisc check FILES...`: every diagnostic of every file, in one process (the stdlib is parsed once). A folder is
 * every LAVIS config under it, each checked in its role (project, default file, ...), with one summary table.
 */
export async function checkCommand(host: Host, args: readonly string[], o: CheckOptions): Promise<number> {
  const sources = new SourceSet();
  const all: Diagnostic[] = [];
  const dirs: { dir: string; outcomes: FileOutcome[] }[] = [];
  const checkOne = (path: string, inDirectory: boolean): FileOutcome => {
    const r = checkFile(path, host, { sets: o.set, options: o.options ?? [] });
    const input = r.loaded.input;
    const role = input ? input.role ?? "project" : r.loaded.ast ? "module" : null;
    // In a folder, YAML that is not a LAVIS config (a conda environment, a workflow) is skipped, not reported.
    const diagnostics = inDirectory && role === "not-lavis" ? [] : dedupe(r.diagnostics);
    for (const s of r.sources) sources.add(s);
    all.push(...sortDiagnostics(diagnostics));
    return { file: path, role, diagnostics, extension: r.loaded.extension };
  };
  let files = 0;
  for (const a of args) {
    const path = resolve(host.cwd, a);
    if (host.isDirectory(path)) {
      const outcomes = configFilesIn(host, path).map((f) => checkOne(f, true));
      files += outcomes.length;
      dirs.push({ dir: path, outcomes });
    } else {
      checkOne(path, false);
      files++;
    }
  }
  // An extension's own problem is found with every file under it: once is enough. (Span-less ones belong to their file.)
  const unique = dedupe(all, true);
  const shown = limitErrors(unique, o.maxErrors);
  if (o.format === "json") {
    const json = diagnosticsToJson(shown, sources, host.cwd);
    host.stdout((dirs.length ? JSON.stringify({ ...JSON.parse(json), folders: dirs.map((d) => summaryJson(d.outcomes, host, d.dir)) }) : json) + "\n");
  }
  else {
    if (shown.length) host.stdout(renderDiagnostics(shown, sources, { color: host.color, cwd: host.cwd }));
    else if (!dirs.length) host.stdout(`${args.length === 1 ? args[0] : `${files} files`}: no problems\n`);
    for (const d of dirs) host.stdout(`${shown.length ? "\n" : ""}${summaryText(d.outcomes, host, d.dir)}`);
  }
  return unique.some((d) => d.severity === "error") ? ExitCode.Diagnostics : ExitCode.Ok;
}

/** The same problem found twice (an override read by two rules, a stdlib or extension note per file) is shown once. */
function dedupe(diags: readonly Diagnostic[], spannedOnly = false): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    if (spannedOnly && !d.span) return true;
    const k = `${d.code}|${d.span?.file}|${d.span?.start}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function limitErrors(diags: readonly Diagnostic[], max?: number): Diagnostic[] {
  if (!max) return [...diags];
  let errors = 0;
  return diags.filter((d) => (d.severity === "error" ? ++errors <= max : true));
}
