import { DiagnosticSeverity, type CodeAction, type Diagnostic as LspDiagnostic, type TextEdit } from "vscode-languageserver";
import { unusedIgnoreEdit } from "../fixes/index.js";

// Quick fixes around `lavisc: ignore[...]` comments (src/diagnostics/suppressions.ts): silence a warning on its line
// (the code is added to the line's comment, or a comment is added at the line's end), and take out a code that
// silences nothing (LV1022: the code, or the whole comment when it is the only one).

type Position = LspDiagnostic["range"]["start"];

export function ignoreFixes(uri: string, path: string, diagnostics: readonly LspDiagnostic[], text: string, offsetAt: (p: Position) => number): CodeAction[] {
  const marker = path.endsWith(".lv") ? "//" : /\.ya?ml$/i.test(path) ? "#" : null;
  if (!marker) return [];
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== "lavisc" || typeof d.code !== "string") continue;
    if (d.code === "LV1022") {
      const edit = removal(d, text, offsetAt);
      if (edit) actions.push({ title: "Remove the unused `lavisc: ignore` code", kind: "quickfix", diagnostics: [d], isPreferred: true, edit: { changes: { [uri]: [edit] } } });
    } else if (d.severity === DiagnosticSeverity.Warning || d.severity === DiagnosticSeverity.Information) {
      const edit = silencing(d.code, d.range.start.line, marker, text, offsetAt);
      actions.push({ title: `Silence ${d.code} on this line (\`lavisc: ignore[${d.code}]\`)`, kind: "quickfix", diagnostics: [d], edit: { changes: { [uri]: [edit] } } });
    }
  }
  return actions;
}

/** The line's `lavisc: ignore[...]` gains the code, or the line ends with a new comment naming it. */
function silencing(code: string, line: number, marker: string, text: string, offsetAt: (p: Position) => number): TextEdit {
  const start = offsetAt({ line, character: 0 });
  const end = lineEnd(text, start);
  const existing = /lavisc:[ \t]*ignore\[([^\]\n]*)\]/.exec(text.slice(start, end));
  if (existing) {
    const close = start + existing.index + existing[0].length - 1;
    const at = positionIn(close, line, start);
    return { range: { start: at, end: at }, newText: existing[1]!.trim() ? `, ${code}` : code };
  }
  let last = end;
  while (last > start && /[ \t]/.test(text[last - 1]!)) last--;
  const from = positionIn(last, line, start), to = positionIn(end, line, start);
  return { range: { start: from, end: to }, newText: `  ${marker} lavisc: ignore[${code}]` };
}

/** LV1022's fix (src/fixes/unusedIgnore.ts), on the diagnostic's line. */
function removal(d: LspDiagnostic, text: string, offsetAt: (p: Position) => number): TextEdit | null {
  const edit = unusedIgnoreEdit(text, offsetAt(d.range.start), offsetAt(d.range.end));
  if (!edit) return null;
  const lineStart = offsetAt({ line: d.range.start.line, character: 0 });
  const pos = (o: number) => positionIn(o, d.range.start.line, lineStart);
  return { range: { start: pos(edit.start), end: pos(edit.end) }, newText: edit.newText };
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
  return i;
}

/** An offset on the given line as a protocol position (its UTF-16 column). */
function positionIn(offset: number, line: number, lineStart: number): Position {
  return { line, character: offset - lineStart };
}
