import type { Diagnostic } from "../diagnostics/index.js";
import { suggestedNames } from "../diagnostics/index.js";
import { certainRenameEdit } from "./rename.js";
import { unquoteEdit } from "./unquote.js";
import { unusedIgnoreEdit } from "./unusedIgnore.js";

// Entry point of the fixes: the one fix `check --fix` may apply for a diagnostic, and applying edits to a text.

/** Replace [start, end) of the diagnostic's file with `newText`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Fix {
  /** What it does, in words: "`num_beam` -> `num_beams`". */
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export { renameEdit, certainRenameEdit } from "./rename.js";
export { unusedIgnoreEdit, unusedIgnoreCodesEdit } from "./unusedIgnore.js";
export { fixText, type AppliedFix, type RefusedFix } from "./fixText.js";

/** The fix of a diagnostic in `text` (its span's file), where one is certain enough to apply unasked; else null. */
export function fixOf(d: Diagnostic, text: string): Fix | null {
  if (!d.span) return null;
  const { start, end } = d.span;
  if (d.code === "LV1022") return single(unusedIgnoreEdit(text, start, end), "remove the unused `lavisc: ignore` code");
  if (d.code === "LV3001") {
    const edit = unquoteEdit(text, start, end, d.hint);
    if (edit) return single(edit, `${text.slice(start, end)} -> ${edit.newText}`);
  }
  const names = suggestedNames(d.hint);
  const edit = certainRenameEdit(text, start, end, names);
  return edit && single(edit, `\`${text.slice(edit.start, edit.end)}\` -> \`${names[0]}\``);
}

function single(edit: TextEdit | null, title: string): Fix | null {
  return edit ? { title, edits: [edit] } : null;
}

/** The text with the edits made (they must not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
