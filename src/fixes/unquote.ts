import type { TextEdit } from "./index.js";

/** LV3001's hints for a number or a boolean in quotes (src/checker/rules/valueType.ts). */
const QUOTED = [/^The value is quoted, so it is a string; remove the quotes\.$/, /^Write true or false without quotes\.$/];

/** `"64"` -> `64`, `'True'` -> `true`: the quotes taken off a value LV3001 says is a quoted number or boolean. */
export function unquoteEdit(text: string, start: number, end: number, hint: string | null): TextEdit | null {
  if (!hint || !QUOTED.some((q) => q.test(hint))) return null;
  // No leading zero: YAML 1.1 reads `010` as octal 8, so taking the quotes off `"010"` would change the value.
  const m = /^(["'])(-?(?:0|[1-9]\d*)(?:\.\d*)?(?:[eE][-+]?\d+)?|true|false)\1$/i.exec(text.slice(start, end));
  if (!m) return null;
  return { start, end, newText: /^(true|false)$/i.test(m[2]!) ? m[2]!.toLowerCase() : m[2]! };
}
