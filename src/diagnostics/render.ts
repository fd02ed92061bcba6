import type { Diagnostic } from "./diagnostic.js";
import type { Span } from "./span.js";
import type { SourceSet, SourceFile } from "./sourceFile.js";
import { countBySeverity } from "./diagnostic.js";
import { visible, visibleOnOneLine } from "./visible.js";

export interface RenderOptions {
  readonly color?: boolean;
  /** Shown instead of absolute paths (paths are printed relative to this folder). */
  readonly cwd?: string;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);


function displayPath(path: string, cwd?: string): string {
  if (cwd && path.startsWith(cwd + "/")) return path.slice(cwd.length + 1);
  return path;
}

interface Frame {
  readonly file: SourceFile;
  readonly span: Span;
  readonly label: string;
  readonly primary: boolean;
}

/** The code frame of one span: the line(s), with carets (primary) or dashes (related) under the range. */
function renderFrame(f: Frame, gutter: number, color: boolean): string[] {
  const start = f.file.position(f.span.start);
  const end = f.file.position(Math.max(f.span.start, f.span.end - 1));
  const out: string[] = [];
  const bar = paint(color, "34", `${" ".repeat(gutter)} |`);
  out.push(bar);
  const lastLine = Math.min(end.line, start.line + 3);
  for (let line = start.line; line <= lastLine; line++) {
    const full = visible(f.file.lineText(line).replace(/\t/g, " "));
    const fullFrom = line === start.line ? start.column : 1 + (full.length - full.trimStart().length);
    const fullTo = line === end.line ? end.column : Math.max(fullFrom, full.length);
    const { text, from, to } = clipLine(full, fullFrom, fullTo);
    out.push(paint(color, "34", `${String(line).padStart(gutter)} |`) + (text ? " " + text : ""));
    const width = Math.max(1, to - from + 1);
    const mark = (f.primary ? "^" : "-").repeat(width);
    const isLast = line === lastLine;
    const label = isLast && f.label ? " " + f.label : "";
    out.push(bar + " " + " ".repeat(from - 1) + paint(color, f.primary ? "31;1" : "34", mark + label));
  }
  return out;
}

/** Lines this long are shown as a window around the marked columns (a generated or hostile one-line file). */
const LONG_LINE = 1000;
const WINDOW = 240;

function clipLine(text: string, from: number, to: number): { text: string; from: number; to: number } {
  if (text.length <= LONG_LINE) return { text, from, to };
  const start = Math.max(0, Math.min(from - 1 - WINDOW / 4, text.length - WINDOW));
  const end = Math.min(text.length, start + WINDOW);
  const lead = start > 0 ? "…" : "";
  const shown = lead + text.slice(start, end) + (end < text.length ? "…" : "");
  const shift = start - lead.length;
  const clippedFrom = Math.max(1, from - shift);
  return { text: shown, from: clippedFrom, to: Math.max(clippedFrom, Math.min(to - shift, shown.length)) };
}

export function renderDiagnostic(d: Diagnostic, sources: SourceSet, opts: RenderOptions = {}): string {
  const color = !!opts.color;
  const sevColor = d.severity === "error" ? "31;1" : d.severity === "warning" ? "33;1" : "36;1";
  const lines: string[] = [paint(color, sevColor, `${d.severity}[${d.code}]`) + paint(color, "1", `: ${visibleOnOneLine(d.message)}`)];
  const primaryFile = d.span ? sources.get(d.span.file) : undefined;
  const relatedFrames = d.related
    .map((r) => ({ r, file: sources.get(r.span.file) }))
    .filter((x): x is { r: (typeof d.related)[number]; file: SourceFile } => !!x.file);
  const maxLine = Math.max(
    d.span && primaryFile ? primaryFile.position(d.span.end).line : 1,
    ...relatedFrames.map((x) => x.file.position(x.r.span.end).line),
  );
  const gutter = String(maxLine).length + 1;
  if (d.span) {
    const pos = primaryFile?.position(d.span.start);
    const loc = visibleOnOneLine(pos ? `${displayPath(d.span.file, opts.cwd)}:${pos.line}:${pos.column}` : displayPath(d.span.file, opts.cwd));
    lines.push(`${" ".repeat(gutter - 1)}${paint(color, "34", "-->")} ${loc}`);
    if (primaryFile) lines.push(...renderFrame({ file: primaryFile, span: d.span, label: "", primary: true }, gutter, color));
  }
  for (const { r, file } of relatedFrames) {
    const pos = file.position(r.span.start);
    lines.push(`${" ".repeat(gutter - 1)}${paint(color, "34", ":::")} ${visibleOnOneLine(`${displayPath(r.span.file, opts.cwd)}:${pos.line}:${pos.column}`)}`);
    lines.push(...renderFrame({ file, span: r.span, label: visibleOnOneLine(r.message), primary: false }, gutter, color));
  }
  if (d.path && !d.span) lines.push(`${" ".repeat(gutter)}${paint(color, "34", "=")} at: ${visibleOnOneLine(d.path)}`);
  if (d.hint) lines.push(`${" ".repeat(gutter)}${paint(color, "34", "=")} ${paint(color, "1", "help")}: ${visibleOnOneLine(d.hint)}`);
  return lines.join("\n");
}

export function renderDiagnostics(diags: readonly Diagnostic[], sources: SourceSet, opts: RenderOptions = {}): string {
  if (diags.length === 0) return "";
  const body = diags.map((d) => renderDiagnostic(d, sources, opts)).join("\n\n");
  const { errors, warnings } = countBySeverity(diags);
  const parts = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return `${body}\n\n${parts.length ? parts.join(", ") : "no problems"}\n`;
}

/** The machine-readable form documented in the README (`--format json`). */
export function diagnosticsToJson(diags: readonly Diagnostic[], sources: SourceSet, cwd?: string): string {
  const loc = (span: Span | null) => {
    if (!span) return { file: null, line: null, column: null, endLine: null, endColumn: null };
    const f = sources.get(span.file);
    const s = f?.position(span.start) ?? { line: null, column: null };
    const e = f?.position(span.end) ?? { line: null, column: null };
    return { file: displayPath(span.file, cwd), line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };
  const { errors, warnings } = countBySeverity(diags);
  return JSON.stringify({
    diagnostics: diags.map((d) => {
      const l = loc(d.span);
      return {
        code: d.code,
        severity: d.severity,
        message: d.message,
        file: l.file,
        line: l.line,
        column: l.column,
        endLine: l.endLine,
        endColumn: l.endColumn,
        path: d.path,
        hint: d.hint,
        related: d.related.map((r) => {
          const rl = loc(r.span);
          return { file: rl.file, line: rl.line, column: rl.column, message: r.message };
        }),
      };
    }),
    errors,
    warnings,
  });
}
