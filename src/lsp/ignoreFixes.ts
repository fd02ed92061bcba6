import { DiagnosticSeverity, type CodeAction, type Diagnostic as LspDiagnostic, type TextEdit } from "vscode-languageserver";

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

/** LV1022 points at the code in the brackets: it goes with its comma, or the whole comment with it if it is alone. */
function removal(d: LspDiagnostic, text: string, offsetAt: (p: Position) => number): TextEdit | null {
  const start = offsetAt(d.range.start), end = offsetAt(d.range.end);
  const lineStart = offsetAt({ line: d.range.start.line, character: 0 });
  const stop = lineEnd(text, lineStart);
  const open = text.lastIndexOf("[", start), close = text.indexOf("]", end);
  if (open < lineStart || close < 0 || close > stop) return null;
  const inside = text.slice(open + 1, close);
  const others = inside.split(",").map((c) => c.trim()).filter((c) => c && c !== text.slice(start, end));
  const pos = (o: number) => positionIn(o, d.range.start.line, lineStart);
  if (others.length) return { range: { start: pos(open + 1), end: pos(close) }, newText: others.join(", ") };
  // The whole comment: from its marker (and the blanks before it) to the end of the line.
  const comment = /(?:[ \t]*)(?:#|\/\/)[ \t]*lavisc:[^\n]*$/.exec(text.slice(lineStart, stop));
  if (!comment) return null;
  return { range: { start: pos(lineStart + comment.index), end: pos(stop) }, newText: "" };
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
