import type { Diagnostic, Severity } from "./diagnostic.js";
import type { SourceSet } from "./sourceFile.js";
import type { Span } from "./span.js";

// `check --format github`: one GitHub Actions workflow command per diagnostic (`::error file=...,line=...::message`),
// which the Actions runner shows as an annotation on the file's line in the job and the pull request. File names are
// relative to the working folder, so run the check from the repository's root. Related locations (the stdlib rule,
// the value a constraint compared with) become lines of the message, since an annotation has one location.

const COMMAND: Record<Severity, "error" | "warning" | "notice"> = { error: "error", warning: "warning", info: "notice" };

export function diagnosticsToGithubAnnotations(diags: readonly Diagnostic[], sources: SourceSet, cwd: string): string {
  return diags.map((d) => annotation(d, sources, cwd)).join("");
}

function annotation(d: Diagnostic, sources: SourceSet, cwd: string): string {
  const at = d.span ? place(d.span, sources, cwd) : null;
  const properties: [string, string | number][] = [["title", `lavisc ${d.code}`]];
  if (at?.inRepository) {
    properties.push(["file", at.file]);
    if (at.region) {
      const { line, column, endLine, endColumn } = at.region;
      properties.push(["line", line], ["col", column], ["endLine", endLine], ["endColumn", endColumn]);
    }
  }
  const lines = [d.message];
  if (at && !at.inRepository) lines.push(`at ${where(at)}`);
  else if (!d.span && d.path) lines.push(`at ${d.path}`);
  for (const r of d.related) lines.push(`${where(place(r.span, sources, cwd))}: ${r.message}`);
  if (d.hint) lines.push(`help: ${d.hint}`);
  const props = properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",");
  return `::${COMMAND[d.severity]} ${props}::${escapeData(lines.join("\n"))}\n`;
}

interface Place {
  readonly file: string;
  /** 1-based; the end column is the one after the last character. Absent when the file's text is not at hand. */
  readonly region?: { readonly line: number; readonly column: number; readonly endLine: number; readonly endColumn: number };
  /** A file under the working folder (an annotation can point at it); else the stdlib, a `--set` value, ... */
  readonly inRepository: boolean;
}

function place(span: Span, sources: SourceSet, cwd: string): Place {
  const inRepository = span.file.startsWith(cwd + "/");
  const file = inRepository ? span.file.slice(cwd.length + 1) : span.file;
  const f = sources.get(span.file);
  if (!f) return { file, inRepository };
  const s = f.position(span.start), e = f.position(span.end);
  return { file, region: { line: s.line, column: s.column, endLine: e.line, endColumn: e.column }, inRepository };
}

function where(p: Place): string {
  return p.region ? `${p.file}:${p.region.line}:${p.region.column}` : p.file;
}

/** The runner's escaping of a command's message (@actions/core's escapeData). */
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** ... and of a property's value, where `:` and `,` separate (escapeProperty). */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
