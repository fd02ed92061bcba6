import { relative, resolve } from "node:path";
import { snapshotHost, type Host } from "../host.js";
import { ExitCode, exitCodeFor } from "../exitCodes.js";
import { UsageError } from "../usageError.js";
import { checkFile } from "../../index.js";
import { SourceSet, diag, sortDiagnostics, dedupeDiagnostics, renderDiagnostics, diagnosticsToJson, diagnosticsToSarif, diagnosticsToGithubAnnotations, type Diagnostic } from "../../diagnostics/index.js";
import { stdlibDir } from "../../project/paths.js";
import { version } from "../version.js";
import type { NotEntered } from "../../project/walkFolder.js";
import { configFilesIn, extensionLines, statisticsText, summaryJson, summaryText, type FileOutcome } from "./checkSummary.js";
import { checkAcrossThreads, defaultThreads, threadsFor } from "./checkAcrossThreads.js";

export interface CheckOptions {
  /** `sarif` and `github` are for CI: a code-scanning upload, GitHub Actions annotations (diagnostics only). */
  readonly format: "text" | "json" | "sarif" | "github";
  readonly set: string[];
  readonly options?: string[];
  readonly maxErrors?: number;
  /** `--max-warnings N`: more warnings than N (after `lavisc: ignore` comments) make the exit status 1, as ESLint's. */
  readonly maxWarnings?: number;
  /** `--fix`: first fix what can be fixed for certain in the files (checkFix.ts), then report what is left. */
  readonly fix?: boolean;
  /** `--statistics`: a count per diagnostic code instead of the diagnostics themselves (text), as Ruff's. */
  readonly statistics?: boolean;
  /** `--ignore LV4010,LV4017`: warnings of these codes are left out (files one cannot edit: a LAVIS checkout). */
  readonly ignore?: readonly string[];
  /** Threads for a folder check (`--jobs`); default: half the host's cores (defaultThreads). */
  readonly jobs?: number;
}

/**
 * `lavisc check FILES...`: every diagnostic of every file, in one process (the stdlib is parsed once). A folder is
 * every LAVIS config under it, each checked in its role (project, default file, ...), with one summary table; a large
 * folder is checked on several threads (checkAcrossThreads.ts), with the same output.
 */
export async function checkCommand(commandHost: Host, args: readonly string[], o: CheckOptions): Promise<number> {
  const host = snapshotHost(commandHost);
  const sources = new SourceSet();
  const all: Diagnostic[] = [];
  const dirs: { dir: string; outcomes: FileOutcome[]; notEntered: readonly NotEntered[] }[] = [];
  const tables: string[] = [];
  const folderOptions = { sets: o.set, options: o.options ?? [] };
  const singles: FileOutcome[] = []; // the files named one by one, for the stdlib extensions they were checked with
  const ignored = new Set(o.ignore ?? []);
  const reported = (d: Diagnostic) => d.severity === "error" || !ignored.has(d.code);
  const checkOne = async (path: string): Promise<void> => {
    const r = checkFile(path, host, { sets: o.set, options: o.options ?? [] });
    singles.push({ file: path, role: r.loaded.input?.role ?? "project", diagnostics: [], extension: r.loaded.extension });
    if (r.loaded.input?.sweep && !/#t\d+$/.test(path)) {
      // A file with a sweep: every trial is checked (the table says how each one fares).
      const { checkSweep } = await import("../../sweep/checkSweep.js");
      const { renderTrialTable } = await import("../../sweep/table.js");
      const c = checkSweep(path, host, { sets: o.set, options: o.options ?? [], cwd: host.cwd });
      for (const s of c.sources) sources.add(s);
      all.push(...dedupeDiagnostics(c.diagnostics));
      if (c.trials.length) tables.push(renderTrialTable(c, host.env, host.cwd));
      return;
    }
    for (const s of r.sources) sources.add(s);
    all.push(...sortDiagnostics(dedupeDiagnostics(r.diagnostics)));
  };
  let files = 0;
  // "" would be the working folder, checked whole: most likely an unset variable (`lavisc check "$FILE"`).
  if (args.some((a) => !a.trim())) throw new UsageError(`an empty file name (an unset variable?); name a file or folder, "." for this one`);
  const fixes = o.fix ? await (await import("./checkFix.js")).fixAll(host, args, folderOptions) : null;
  for (const a of args) {
    const path = resolve(host.cwd, a);
    if (host.isDirectory(path)) {
      const inFolder = configFilesIn(host, path);
      for (const n of inFolder.notEntered) if (n.reason === "unreadable") all.push(diag("LV1011", null, { detail: `${n.path}: ${n.error}` }));
      const threads = folderThreads(host, inFolder.files.length, o.jobs);
      const results = await checkAcrossThreads(inFolder.files, host, folderOptions, threads);
      for (const r of results) {
        for (const s of r.sources) sources.add(s);
        all.push(...sortDiagnostics(r.outcome.diagnostics));
      }
      files += results.length;
      // The summary table counts what is reported: `--ignore`d warnings are not.
      const outcomes = results.map((r) => ({ ...r.outcome, diagnostics: r.outcome.diagnostics.filter(reported) }));
      dirs.push({ dir: path, outcomes, notEntered: inFolder.notEntered });
    } else {
      await checkOne(path);
      files++;
    }
  }
  // An extension's own problem is found with every file under it: once is enough. (Span-less ones belong to their file.)
  const unique = dedupeDiagnostics(all, true).filter(reported);
  const shown = limitErrors(unique, o.maxErrors);
  if (o.format === "sarif") host.stdout(diagnosticsToSarif(shown, sources, { cwd: host.cwd, toolVersion: version, stdlibDir: stdlibDir() }) + "\n");
  else if (o.format === "github") host.stdout(diagnosticsToGithubAnnotations(shown, sources, host.cwd));
  else if (o.format === "json") {
    const json = diagnosticsToJson(shown, sources, host.cwd);
    const folders = dirs.length ? { folders: dirs.map((d) => summaryJson(d.outcomes, host, d.dir, d.notEntered)) } : {};
    const fixed = fixes ? { fixed: fixes.applied.map((f) => ({ ...f, file: relative(host.cwd, f.file) })), notFixed: fixes.refused.map((f) => ({ ...f, file: relative(host.cwd, f.file) })) } : {};
    host.stdout((dirs.length || fixes ? JSON.stringify({ ...JSON.parse(json), ...folders, ...fixed }) : json) + "\n");
  }
  else {
    if (o.statistics) host.stdout(statisticsText(unique));
    else if (shown.length) host.stdout(renderDiagnostics(shown, sources, { color: host.color, cwd: host.cwd }));
    else if (!dirs.length && !tables.length) host.stdout(`${args.length === 1 ? args[0] : `${files} files`}: no problems\n`);
    for (const d of dirs) host.stdout(`${shown.length ? "\n" : ""}${summaryText(d.outcomes, host, d.dir, d.notEntered)}`);
    for (const t of tables) host.stdout(`${shown.length || dirs.length ? "\n" : ""}${t}`);
    // Never silent: a fork's `.lavisc/` above a file changes what its names mean.
    for (const line of extensionLines(singles, host, false)) host.stdout(`${line}\n`);
    if (fixes) host.stdout(fixes.text(host.cwd));
  }
  const status = exitCodeFor(unique);
  const warnings = unique.filter((d) => d.severity === "warning").length;
  if (status !== 0 || o.maxWarnings === undefined || warnings <= o.maxWarnings) return status;
  if (o.format === "text") host.stdout(`${warnings} warning${warnings === 1 ? "" : "s"}: more than --max-warnings ${o.maxWarnings}\n`);
  return ExitCode.Diagnostics;
}

/**
 * `--jobs N` is what the user asked for; by default a small folder uses fewer threads than the cores. A host
 * without `cores` (in memory) is checked on its own thread: worker threads could not see its files.
 */
function folderThreads(host: Host, files: number, jobs: number | undefined): number {
  if (host.cores === undefined) return 1;
  return jobs ? Math.max(1, Math.min(jobs, files)) : threadsFor(files, defaultThreads(host.cores));
}

function limitErrors(diags: readonly Diagnostic[], max?: number): Diagnostic[] {
  if (!max) return [...diags];
  let errors = 0;
  return diags.filter((d) => (d.severity === "error" ? ++errors <= max : true));
}
