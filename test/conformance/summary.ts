import type { FileResult } from "./checkCorpus.js";
import type { Classified, DeviationId } from "./oracleDiff.js";

// The corpus summary: how lavisc judges the 424 project files. Checked in as a baseline, so any change in these
// numbers (a new warning, a file that stops being clean, a new kind of deviation) fails loudly.

export interface Summary {
  files: number;
  lavis: { accepted: number; rejected: number };
  lavisc: { clean: number; warningsOnly: number; errors: number };
  /** Files LAVIS's merge accepts that lavisc rejects (lavisc also checks what LAVIS fails on later, at run time). */
  acceptedByLavisRejectedByLavisc: number;
  codes: Record<string, { severity: string; diagnostics: number; files: number }>;
  deviations: Record<string, { differences: number; files: number }>;
}

export function summarize(results: readonly FileResult[], oracle: ReadonlyMap<string, string>, diffs: ReadonlyMap<string, readonly Classified[]>): Summary {
  const s: Summary = {
    files: results.length,
    lavis: { accepted: 0, rejected: 0 },
    lavisc: { clean: 0, warningsOnly: 0, errors: 0 },
    acceptedByLavisRejectedByLavisc: 0,
    codes: {},
    deviations: {},
  };
  const codes = new Map<string, { severity: string; diagnostics: number; files: Set<string> }>();
  const devs = new Map<string, { differences: number; files: Set<string> }>();
  for (const r of results) {
    const accepted = oracle.get(r.rel) === "ok";
    if (accepted) s.lavis.accepted++;
    else s.lavis.rejected++;
    const errors = r.diagnostics.some((d) => d.severity === "error");
    const warnings = r.diagnostics.some((d) => d.severity === "warning");
    if (errors) s.lavisc.errors++;
    else if (warnings) s.lavisc.warningsOnly++;
    else s.lavisc.clean++;
    if (accepted && errors) s.acceptedByLavisRejectedByLavisc++;
    for (const d of r.diagnostics) {
      const key = `${d.code} ${d.severity}`;
      const c = codes.get(key) ?? { severity: d.severity, diagnostics: 0, files: new Set<string>() };
      c.diagnostics++;
      c.files.add(r.rel);
      codes.set(key, c);
    }
    for (const d of diffs.get(r.rel) ?? []) {
      const id: DeviationId | "unlisted" = d.deviation ?? "unlisted";
      const e = devs.get(id) ?? { differences: 0, files: new Set<string>() };
      e.differences++;
      e.files.add(r.rel);
      devs.set(id, e);
    }
  }
  for (const [key, c] of [...codes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    s.codes[key.split(" ")[0]! + (c.severity === "error" ? "" : ` (${c.severity})`)] = { severity: c.severity, diagnostics: c.diagnostics, files: c.files.size };
  }
  for (const [id, e] of [...devs].sort(([a], [b]) => (a < b ? -1 : 1))) s.deviations[id] = { differences: e.differences, files: e.files.size };
  return s;
}

export function renderTable(s: Summary): string {
  const lines = [
    `conformance: ${s.files} LAVIS project files (LAVIS's merge: ${s.lavis.accepted} accepted, ${s.lavis.rejected} rejected)`,
    `  lavisc: ${s.lavisc.clean} clean, ${s.lavisc.warningsOnly} warnings only, ${s.lavisc.errors} with errors` +
      ` (${s.acceptedByLavisRejectedByLavisc} of them accepted by LAVIS's merge)`,
    "  code     severity  diagnostics  files",
  ];
  for (const [code, c] of Object.entries(s.codes)) {
    lines.push(`  ${code.split(" ")[0]!.padEnd(8)} ${c.severity.padEnd(9)} ${String(c.diagnostics).padStart(11)}  ${String(c.files).padStart(5)}`);
  }
  lines.push("  deviation  differences  files");
  for (const [id, d] of Object.entries(s.deviations)) lines.push(`  ${id.padEnd(9)}  ${String(d.differences).padStart(11)}  ${String(d.files).padStart(5)}`);
  return lines.join("\n");
}
