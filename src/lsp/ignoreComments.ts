import type { CompletionItem, Hover, Range } from "vscode-languageserver";
import { messages, type DiagnosticCode } from "../diagnostics/index.js";
import type { Analysis } from "./analysis.js";
import { rangeOf } from "./convert.js";

// Inside a `lavisc: ignore[...]` comment (src/diagnostics/suppressions.ts): completion offers the codes of the
// warnings on that line (the next line for `ignore-next-line`, the file for `ignore-file`), and hover on a code shows
// what the code means.

const OPEN = /lavisc:[ \t]*(ignore-file|ignore-next-line|ignore)\[([^\]\n]*)$/;

/** The comments' own problems (an unfinished comment has one while it is typed), not codes to silence. */
const COMMENT_PROBLEMS = new Set(["LV1020", "LV1021", "LV1022", "LV1023", "LV1024"]);

/** The codes to complete after `lavisc: ignore[` (or after a comma in it), or null when the cursor is elsewhere. */
export function ignoreCodeCompletions(a: Analysis, offset: number, before: string, lineStart: number): CompletionItem[] | null {
  const m = OPEN.exec(before);
  if (!m) return null;
  const written = new Set(m[2]!.split(",").map((c) => c.trim()));
  const partial = /[\w]*$/.exec(before)![0];
  const range: Range = rangeOf({ file: a.path, start: offset - partial.length, end: offset }, a.sources);
  // The line the comment covers: its own, or for `ignore-next-line` the one after it.
  const ownEnd = a.text.indexOf("\n", lineStart);
  const [from, to] = m[1] === "ignore-next-line" ? (ownEnd < 0 ? [-1, -1] : [ownEnd + 1, a.text.indexOf("\n", ownEnd + 1)]) : [lineStart, ownEnd];
  const onLine = (start: number) => from >= 0 && start >= from && (to < 0 || start <= to);
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const d of a.diagnostics) {
    if (d.severity === "error" || !d.span || d.span.file !== a.path || written.has(d.code) || seen.has(d.code) || COMMENT_PROBLEMS.has(d.code)) continue;
    if (m[1] !== "ignore-file" && !onLine(d.span.start)) continue;
    seen.add(d.code);
    items.push({ label: d.code, kind: 21 /* Constant */, detail: d.message, textEdit: { range, newText: d.code } });
  }
  return items;
}

/** Hover on a code inside a `lavisc: ignore[...]` comment: its severity, message and hint from the catalog. */
export function ignoreCodeHover(a: Analysis, offset: number): Hover | null {
  const lineStart = a.text.lastIndexOf("\n", offset - 1) + 1;
  const lineEnd = a.text.indexOf("\n", offset);
  const line = a.text.slice(lineStart, lineEnd < 0 ? a.text.length : lineEnd);
  for (const c of line.matchAll(/lavisc:[ \t]*ignore(?:-file|-next-line)?\[([^\]\n]*)\]?/g)) {
    const listStart = lineStart + c.index! + c[0].indexOf("[") + 1;
    for (const code of c[1]!.matchAll(/LV\d{4}/g)) {
      const start = listStart + code.index!, end = start + code[0].length;
      if (offset < start || offset > end || !(code[0] in messages)) continue;
      const entry: { severity: string; message: string; hint?: string; title?: string } = messages[code[0] as DiagnosticCode];
      const text = [`**${code[0]}** (${entry.severity})`, entry.title ?? entry.message.replace(/\{(\w+)\}/g, "‹$1›"), ...(entry.hint ? [`help: ${entry.hint.replace(/\{(\w+)\}/g, "‹$1›")}`] : [])];
      return { contents: { kind: "markdown", value: text.join("\n\n") }, range: rangeOf({ file: a.path, start, end }, a.sources) };
    }
  }
  return null;
}
