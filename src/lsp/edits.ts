import type { CodeAction, Diagnostic as LspDiagnostic, TextEdit } from "vscode-languageserver";
import { parse } from "../syntax/parse.js";
import { format } from "../format/index.js";
import type { SourceFile } from "../diagnostics/index.js";
import { renameEdit, certainRenameEdit } from "../fixes/index.js";

// The two features that change text: formatting (`lavisc fmt`) and quick fixes for did-you-mean diagnostics.

/** The whole document in the canonical layout, or no edit (a file with syntax errors is never reformatted). */
export function formattingEdits(path: string, text: string, file: SourceFile): TextEdit[] {
  if (!path.endsWith(".lv")) return [];
  const parsed = parse(text, path);
  if (parsed.diagnostics.some((d) => d.severity === "error")) return [];
  const out = format(parsed.ast, text);
  if (out === text) return [];
  const end = file.position(text.length);
  return [{ range: { start: { line: 0, character: 0 }, end: { line: end.line - 1, character: end.column - 1 } }, newText: out }];
}

/**
 * "Replace `lerning_rate` with `init_lr`" for each name a did-you-mean hint suggests. The diagnostic covers the
 * misspelled name, or a dotted key whose last segment it is (`recipe.lerning_rate`); anything else gets no fix. Only
 * the rename `check --fix` would make is preferred (an editor's "auto fix" applies a preferred fix unasked); the
 * others are there for the user to choose.
 */
export function quickFixes(uri: string, diagnostics: readonly LspDiagnostic[], text: string, offsetAt: (p: LspDiagnostic["range"]["start"]) => number): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    const suggestions = (d.data as { suggestions?: string[] } | undefined)?.suggestions ?? [];
    if (d.source !== "lavisc" || !suggestions.length) continue;
    const start = offsetAt(d.range.start), end = offsetAt(d.range.end);
    const certain = certainRenameEdit(text, start, end, suggestions) !== null;
    suggestions.forEach((s) => {
      const edit = renameEdit(text, start, end, s);
      if (!edit) return;
      const range = { start: positionShift(d.range.start, edit.start - start), end: d.range.end };
      actions.push({
        title: `Replace \`${text.slice(edit.start, edit.end).replace(/^"|"$/g, "")}\` with \`${s}\``,
        kind: "quickfix",
        diagnostics: [d],
        isPreferred: certain,
        edit: { changes: { [uri]: [{ range, newText: edit.newText }] } },
      });
    });
  }
  return actions;
}

/** A position moved right on its line (a diagnostic's range stays on one line for a name). */
function positionShift(p: LspDiagnostic["range"]["start"], by: number): LspDiagnostic["range"]["start"] {
  return { line: p.line, character: p.character + by };
}
