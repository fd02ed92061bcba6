import { resolve } from "node:path";
import type { Host } from "../host.js";
import { ExitCode } from "../exitCodes.js";
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
  const tables: string[] = [];
  for (const f of files) {
    const path = resolve(host.cwd, f);
    const r = checkFile(path, host, { sets: o.set, options: o.options ?? [] });
    if (r.loaded.input?.sweep && !/#t\d+$/.test(f)) {
      // A file with a sweep: every trial is checked (the table says how each one fares).
      const { checkSweep } = await import("../../sweep/checkSweep.js");
      const { renderTrialTable } = await import("../../sweep/table.js");
      const c = checkSweep(path, host, { sets: o.set, options: o.options ?? [], cwd: host.cwd });
      for (const s of c.sources) sources.add(s);
      all.push(...dedupe(c.diagnostics));
      if (c.trials.length) tables.push(renderTrialTable(c, host.env, host.cwd));
      continue;
    }
    for (const s of r.sources) sources.add(s);
    all.push(...sortDiagnostics(dedupe(r.diagnostics)));
  }
  const shown = limitErrors(all, o.maxErrors);
  if (o.format === "json") host.stdout(diagnosticsToJson(shown, sources, host.cwd) + "\n");
  else if (shown.length) host.stdout(renderDiagnostics(shown, sources, { color: host.color, cwd: host.cwd }));
  else if (!tables.length) host.stdout(`${files.length === 1 ? files[0] : `${files.length} files`}: no problems\n`);
  if (o.format !== "json") for (const t of tables) host.stdout(`${shown.length ? "\n" : ""}${t}`);
  return all.some((d) => d.severity === "error") ? ExitCode.Diagnostics : ExitCode.Ok;
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
