import type { TextEdit } from "./index.js";

/**
 * LV1022 covers a code in `lavisc: ignore[...]` that silences nothing: the code goes with its comma, or the whole
 * comment (from its `#` or `//` and the blanks before it to the end of the line, or its whole line when nothing
 * else is on it) when it is the only one.
 */
export function unusedIgnoreEdit(text: string, start: number, end: number): TextEdit | null {
  return unusedIgnoreCodesEdit(text, [start], end);
}

/**
 * The same for several unused codes of one comment at once (`starts`: where each code begins; `end`: the end of the
 * last): one edit, so that removing two codes of one list does not give two overlapping edits.
 */
export function unusedIgnoreCodesEdit(text: string, starts: readonly number[], end: number): TextEdit | null {
  const first = Math.min(...starts);
  const lineStart = text.lastIndexOf("\n", first - 1) + 1;
  let lineEnd = text.indexOf("\n", end);
  if (lineEnd < 0) lineEnd = text.length;
  if (text[lineEnd - 1] === "\r") lineEnd--;
  const open = text.lastIndexOf("[", first), close = text.indexOf("]", end);
  if (open < lineStart || close < 0 || close > lineEnd) return null;
  // The other codes of the list (a code named twice loses only the instances the diagnostics cover).
  const others = [...text.slice(open + 1, close).matchAll(/[^,\s]+/g)].filter((m) => !starts.includes(open + 1 + m.index!)).map((m) => m[0]);
  if (others.length) return { start: open + 1, end: close, newText: others.join(", ") };
  const comment = /[ \t]*(?:#|\/\/)[ \t]*lavisc:[^\n]*$/.exec(text.slice(lineStart, lineEnd));
  if (!comment) return null;
  // A comment on a line of its own (an `ignore-next-line`) goes with its line.
  const newline = text.indexOf("\n", lineEnd);
  if (comment.index === 0 && newline >= 0) return { start: lineStart, end: newline + 1, newText: "" };
  return { start: lineStart + comment.index, end: lineEnd, newText: "" };
}
