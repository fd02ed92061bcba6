import { isCertainCorrection } from "../diagnostics/index.js";
import type { TextEdit } from "./index.js";

/**
 * The edit that writes `name` for the misspelled name a did-you-mean diagnostic covers: the name itself (quoted, in either quotes, or
 * not), or the last segment of a dotted key (`recipe.lerning_rate`). Null where the span holds anything else.
 */
export function renameEdit(text: string, start: number, end: number, name: string): TextEdit | null {
  const written = text.slice(start, end);
  const m = /^(?:(.*)\.)?(["']?)([\w-]+)\2$/.exec(written);
  if (!m) return null;
  const nameStart = start + (m[1] !== undefined ? m[1].length + 1 : 0);
  return { start: nameStart, end, newText: `${m[2]}${name}${m[2]}` };
}

/**
 * The rename `check --fix` and the editor's "fix all" make unasked, and the quick fix the editor marks preferred: the
 * hint suggests one name only, and the name written is a typo of it (`isCertainCorrection`, src/diagnostics/suggest.ts).
 */
export function certainRenameEdit(text: string, start: number, end: number, suggestions: readonly string[]): TextEdit | null {
  if (suggestions.length !== 1) return null;
  const edit = renameEdit(text, start, end, suggestions[0]!);
  if (!edit) return null;
  const written = text.slice(edit.start, edit.end).replace(/^(["'])(.*)\1$/, "$2");
  return isCertainCorrection(written, suggestions[0]!) ? edit : null;
}
