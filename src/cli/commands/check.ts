import { resolve } from "node:path";
import type { Host } from "../host.js";
import { ExitCode } from "../exitCodes.js";
import { checkFile } from "../../index.js";
import { SourceSet, sortDiagnostics, dedupeDiagnostics, renderDiagnostics, diagnosticsToJson, type Diagnostic } from "../../diagnostics/index.js";

export interface CheckOptions {
  readonly format: "text" | "json";
  readonly set: string[];
  readonly options?: string[];
  readonly maxErrors?: number;
}

/** `lavisc check FILES...`: every diagnostic of every file, in one process (the stdlib is parsed once). */
export async function checkCommand(host: Host, files: readonly string[], o: CheckOptions): Promise<number> {
  const sources = new SourceSet();
  const all: Diagnostic[] = [];
  for (const f of files) {
    const r = checkFile(resolve(host.cwd, f), host, { sets: o.set, options: o.options ?? [] });
    for (const s of r.sources) sources.add(s);
    all.push(...sortDiagnostics(dedupeDiagnostics(r.diagnostics)));
  }
  const shown = limitErrors(all, o.maxErrors);
  if (o.format === "json") host.stdout(diagnosticsToJson(shown, sources, host.cwd) + "\n");
  else if (shown.length) host.stdout(renderDiagnostics(shown, sources, { color: host.color, cwd: host.cwd }));
  else host.stdout(`${files.length === 1 ? files[0] : `${files.length} files`}: no problems\n`);
  return all.some((d) => d.severity === "error") ? ExitCode.Diagnostics : ExitCode.Ok;
}

function limitErrors(diags: readonly Diagnostic[], max?: number): Diagnostic[] {
  if (!max) return [...diags];
  let errors = 0;
  return diags.filter((d) => (d.severity === "error" ? ++errors <= max : true));
}
