import { resolve } from "node:path";
import type { Host } from "../host.js";
import { exitCodeFor } from "../exitCodes.js";
import { checkFile } from "../../index.js";
import { SourceSet, sortDiagnostics, renderDiagnostics, diagnosticsToJson, type Diagnostic } from "../../diagnostics/index.js";

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
    all.push(...sortDiagnostics(dedupe(r.diagnostics)));
  }
  const shown = limitErrors(all, o.maxErrors);
  if (o.format === "json") host.stdout(diagnosticsToJson(shown, sources, host.cwd) + "\n");
  else if (shown.length) host.stdout(renderDiagnostics(shown, sources, { color: host.color, cwd: host.cwd }));
  else host.stdout(`${files.length === 1 ? files[0] : `${files.length} files`}: no problems\n`);
  return exitCodeFor(all);
}

/** The same problem found twice (an override read by two rules, a stdlib note per file) is shown once. */
function dedupe(diags: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
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
