import { relative } from "node:path";
import type { Host } from "../host.js";
import { codeSummary, countBySeverity, type Diagnostic, type DiagnosticCode } from "../../diagnostics/index.js";
import { ROLE_NAMES, type FileRole } from "../../semantic/fileRole.js";
import type { Replacement } from "../../project/stdlibExtension.js";
import { walkFolder, type FolderWalk, type NotEntered } from "../../project/walkFolder.js";

// `lavisc check DIR`: the files of a folder, each checked in its role, and one summary table; `--statistics`.

/** Folders a configs walk never enters: version control, dependencies, lavisc's own. */
const SKIPPED_DIRS = new Set(["node_modules", "__pycache__", "dist", "build"]);

/**
 * The `.yaml`, `.yml` and `.lv` files under `dir`, sorted; hidden folders (`.git`, `.lavisc`) are not entered, and
 * each real folder is entered once (a linked folder seen already is listed in `notEntered`).
 */
export function configFilesIn(host: Host, dir: string): FolderWalk {
  return walkFolder(dir, host, { enter: (name) => !SKIPPED_DIRS.has(name), keep: (name) => /\.(ya?ml|lv)$/i.test(name) });
}

export interface FileOutcome {
  readonly file: string;
  /** "module" for a `.lv` file without an experiment (declarations only); null when the file did not load (unreadable, or YAML that does not parse). */
  readonly role: FileRole | "module" | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly extension: { readonly files: readonly string[]; readonly replaced: readonly Replacement[] } | null;
}

type Row = { files: number; clean: number; warnings: number; errors: number };

/** The summary of a directory check: per role, how many files are clean, have warnings only, have errors. */
export function summaryText(outcomes: readonly FileOutcome[], host: Host, dir: string, notEntered: readonly NotEntered[] = []): string {
  const rows = new Map<string, Row>();
  const total: Row = { files: 0, clean: 0, warnings: 0, errors: 0 };
  let skipped = 0;
  for (const o of outcomes) {
    if (o.role === "not-lavis") {
      skipped++;
      continue;
    }
    const name = o.role === null ? "does not load" : o.role === "module" ? "lv module" : ROLE_NAMES[o.role];
    const row = rows.get(name) ?? { files: 0, clean: 0, warnings: 0, errors: 0 };
    rows.set(name, row);
    const { errors, warnings } = countBySeverity(o.diagnostics);
    for (const r of [row, total]) {
      r.files++;
      if (errors) r.errors++;
      else if (warnings) r.warnings++;
      else r.clean++;
    }
  }
  const lines = [["files", "clean", "warnings only", "errors", ""]];
  for (const [name, r] of rows) lines.push([String(r.files), String(r.clean), String(r.warnings), String(r.errors), name]);
  lines.push([String(total.files), String(total.clean), String(total.warnings), String(total.errors), "total"]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...lines.map((l) => l[i]!.length)));
  const table = lines.map((l) => l.map((c, i) => (i < 4 ? c.padStart(widths[i]!) : c)).join("  ").trimEnd());
  const shown = relative(host.cwd, dir) || ".";
  const head = `${shown}: ${total.files} LAVIS config file${total.files === 1 ? "" : "s"} checked${skipped ? ` (${skipped} other YAML file${skipped === 1 ? "" : "s"} skipped)` : ""}`;
  return [head, ...table.map((l) => `  ${l}`), ...notEnteredLines(notEntered, host), ...extensionLines(outcomes, host)].join("\n") + "\n";
}

/** The same as data: each file with its role and counts (`lavisc check DIR --format json`). */
export function summaryJson(outcomes: readonly FileOutcome[], host: Host, dir: string, notEntered: readonly NotEntered[] = []): unknown {
  return {
    folder: relative(host.cwd, dir) || ".",
    notEntered: notEntered.map((n) => ({ folder: relative(host.cwd, n.path) || ".", reason: n.reason, ...(n.reason === "link" ? { sameAs: relative(host.cwd, n.sameAs) || "." } : { error: n.error }) })),
    files: outcomes.map((o) => ({ file: relative(host.cwd, o.file), role: o.role ?? "does not load", ...countBySeverity(o.diagnostics) })),
    extensions: [...new Set(outcomes.flatMap((o) => (o.extension ? [o.extension.files.map((f) => relative(host.cwd, f)).join(", ")] : [])))],
  };
}

/** Linked folders the walk did not enter again (an unreadable folder is an LV1011 error instead). */
function notEnteredLines(notEntered: readonly NotEntered[], host: Host): string[] {
  return notEntered.flatMap((n) => (n.reason === "link" ? [`not entered: ${relative(host.cwd, n.path) || "."}, the same folder as ${relative(host.cwd, n.sameAs) || "."} (checked once)`] : []));
}

/** Which stdlib extensions were used (with how many of the files when `counted`), and the LAVIS names each redefines. */
export function extensionLines(outcomes: readonly FileOutcome[], host: Host, counted = true): string[] {
  const seen = new Map<string, { count: number; replaced: readonly Replacement[] }>();
  for (const o of outcomes) {
    if (!o.extension || o.role === "not-lavis") continue;
    const key = o.extension.files.join(", ");
    const s = seen.get(key) ?? { count: 0, replaced: o.extension.replaced };
    s.count++;
    seen.set(key, s);
  }
  const out: string[] = [];
  for (const [files, s] of seen) {
    const shown = files.split(", ").map((f) => relative(host.cwd, f) || f).join(", ");
    out.push(counted ? `stdlib extension ${shown}: ${s.count} file${s.count === 1 ? "" : "s"}` : `checked with the stdlib extension ${shown} (${host.stdlibExt ? "--stdlib-ext" : "the nearest .lavisc/ folder above the file"})`);
    if (s.replaced.length) out.push(`  redefines LAVIS's ${s.replaced.map((r) => `${r.kind} \`${r.name}\``).join(", ")}`);
  }
  return out;
}

/** `check --statistics`: one line per code, the most frequent first (count, code, severity, what the code is about), then the totals. */
export function statisticsText(diags: readonly Diagnostic[]): string {
  const byCode = new Map<string, { n: number; severity: string }>();
  for (const d of diags) {
    const c = byCode.get(d.code) ?? { n: 0, severity: d.severity };
    c.n++;
    byCode.set(d.code, c);
  }
  const rows = [...byCode].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1));
  const width = String(rows[0]?.[1].n ?? 0).length;
  const lines = rows.map(([code, c]) => `${String(c.n).padStart(width)}  ${code}  ${c.severity.padEnd(7)}  ${codeSummary(code as DiagnosticCode)}\n`);
  const { errors, warnings } = countBySeverity(diags);
  return `${lines.join("")}${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`;
}
