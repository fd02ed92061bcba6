// The warnings `lavisc run` prints before training, as report.html lists them: one line each, with the code, the
// configuration key it is about and what to do, so the report holds every warning the terminal showed.

/** A diagnostic or plan warning: `LV4082 (run.amp): <message> — <hint>`. */
export function diagnosticWarningLine(d: { readonly code: string; readonly message: string; readonly path?: string | null; readonly hint?: string | null }): string {
  return `${d.code}${d.path ? ` (${d.path})` : ""}: ${d.message}${d.hint ? ` — ${d.hint}` : ""}`;
}

/** A data preflight finding: `<dataset>/<split>: <message> (<paths>)`. */
export function dataWarningLine(f: { readonly dataset: string; readonly split?: string | null; readonly message: string; readonly paths: readonly string[]; readonly count: number }): string {
  const more = f.count > f.paths.length ? `, and ${f.count - f.paths.length} more` : "";
  return `${f.dataset}${f.split ? `/${f.split}` : ""}: ${f.message}${f.paths.length ? ` (${f.paths.join(", ")}${more})` : ""}`;
}
