import { resolve, relative } from "node:path";
import type { Host } from "../cli/host.js";
import { ExitCode, exitCodeFor } from "../cli/exitCodes.js";
import { UsageError } from "../cli/main.js";
import { checkFile } from "../index.js";
import { SourceSet, renderDiagnostics, sortDiagnostics } from "../diagnostics/index.js";
import { EXPORT_HEADER, exportYaml } from "./exportYaml.js";
import { lavisOnlyDiagnostics } from "./lavisOnly.js";
import { guardOverwrite, sameFile } from "../cli/overwriteGuard.js";
import { checkExported, reportExportedErrors } from "./exportedCheck.js";

export interface ExportCommandOptions {
  readonly output?: string;
  readonly force?: boolean;
  readonly set: string[];
  readonly options?: string[];
}

/**
 * `lavisc export FILE`: refuses (exit 1) when the experiment has errors or a task LAVIS does not have (LV4018), or
 * when the YAML it would write has errors of its own (exportedCheck.ts); warnings are printed and export goes on.
 */
export async function exportCommand(host: Host, file: string, o: ExportCommandOptions): Promise<number> {
  const path = resolve(host.cwd, file);
  const out = o.output ? resolve(host.cwd, o.output) : null;
  if (out && sameFile(host, out, path)) throw new UsageError(`refusing to overwrite the input ${file}`);
  if (out) guardOverwrite(host, out, o.force, (text) => text.startsWith(EXPORT_HEADER));
  const r = checkFile(path, host, { sets: o.set, options: o.options ?? [], experimentFor: "export", needsRun: true });
  const diagnostics = [...r.diagnostics, ...(r.resolved ? lavisOnlyDiagnostics(r.resolved, "exported") : [])];
  const sources = new SourceSet();
  for (const s of r.sources) sources.add(s);
  if (diagnostics.length) host.stderr(renderDiagnostics(sortDiagnostics(diagnostics), sources, { color: host.color, cwd: host.cwd }));
  if (!r.resolved || diagnostics.some((d) => d.severity === "error")) {
    host.stderr(`${file} was not exported because it has errors.\n`);
    return exitCodeFor(diagnostics) || ExitCode.Diagnostics;
  }
  const text = exportYaml(r.resolved, relative(host.cwd, path) || file);
  const exported = checkExported(text, path, host);
  if (exported.errors.length) {
    reportExportedErrors(host, file, exported, r.resolved);
    host.stderr(`${file} was not exported.\n`);
    return ExitCode.Diagnostics;
  }
  if (out) host.writeFileAtomic(out, text);
  else host.stdout(text);
  return ExitCode.Ok;
}
