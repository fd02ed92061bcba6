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
