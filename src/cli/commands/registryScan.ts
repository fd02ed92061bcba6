import { relative, resolve } from "node:path";
import type { Host } from "../host.js";
import { ExitCode } from "../exitCodes.js";
import { UsageError } from "../main.js";
import { SourceSet, renderDiagnostics, diagnosticsToJson, sortDiagnostics } from "../../diagnostics/index.js";
import { loadStdlib } from "../../project/stdlib.js";
import { scanRepository } from "../../fork/index.js";

export interface RegistryScanOptions {
  readonly repository?: string;
  readonly commit?: string;
  readonly stdout?: boolean;
  readonly format: "text" | "json";
}

/** Scans, reports what it noticed (redefined LAVIS names, missing default files, probable typos), writes the extension. */
export async function registryScanCommand(host: Host, dir: string, o: RegistryScanOptions): Promise<number> {
  if (!dir.trim()) throw new UsageError(`an empty folder name (an unset variable?); name the repository's folder, "." for this one`);
  const root = resolve(host.cwd, dir);
  if (!host.isDirectory(root)) throw new UsageError(`${dir} is not a folder`);
  const r = scanRepository(root, host, loadStdlib().registry, { ...(o.repository ? { repository: o.repository } : {}), ...(o.commit ? { commit: o.commit } : {}) });
  const sources = new SourceSet();
  for (const s of r.sources) sources.add(s);
  const diagnostics = sortDiagnostics(r.diagnostics);
  const byKind = new Map<string, number>(["arch", "builder", "processor", "task", "runner", "scheduler"].map((k) => [k, 0]));
  for (const e of r.model.entries) byKind.set(e.kind, byKind.get(e.kind)! + 1);
  for (const [k, n] of byKind) if (!n) byKind.delete(k);
  const counts = [...byKind].map(([k, n]) => `${n} ${k}${n === 1 ? "" : k.endsWith("s") ? "es" : "s"}`).join(", ") || "no registered names";
  const shown = relative(host.cwd, r.path) || r.path;
  // An extension missing what unreadable files register would replace a complete one: it is not written.
  const written = !o.stdout && !r.unreadable;
  if (written) host.writeFileAtomic(r.path, r.text);
  if (o.format === "json") {
    host.stdout(`${JSON.stringify({ extension: written ? shown : null, repository: r.provenance.repository, commit: r.provenance.commit, entries: Object.fromEntries(byKind), redefined: r.model.redefined, ...JSON.parse(diagnosticsToJson(diagnostics, sources, host.cwd)) }, null, 2)}\n`);
  } else {
    if (o.stdout) host.stdout(r.text);
    const out = o.stdout ? (t: string) => host.stderr(t) : (t: string) => host.stdout(t);
    if (diagnostics.length) out(renderDiagnostics(diagnostics, sources, { color: host.color, cwd: host.cwd }) + "\n");
    const redefined = r.model.redefined.length ? `; ${r.model.redefined.length} redefine LAVIS's (${r.model.redefined.map((x) => `${x.kind} \`${x.name}\``).join(", ")})` : "";
    const notWritten = !o.stdout && !written ? `Did not write ${shown}: ${r.unreadable} folder${r.unreadable === 1 ? "" : "s"} or file${r.unreadable === 1 ? "" : "s"} could not be read (above), so it would miss what they register; make them readable and scan again. ` : "";
    out(`${notWritten}${o.stdout || !written ? "Scanned" : `Wrote ${shown}:`} ${counts} from ${r.counts.pythonFiles} Python and ${r.counts.yamlFiles} YAML files${redefined}.\n`);
  }
  return diagnostics.some((d) => d.severity === "error") ? ExitCode.Diagnostics : ExitCode.Ok;
}
