// Python's idea of whitespace, for the places where lavisc repeats what LAVIS's Python does to text (str.split() in
// HF's BasicTokenizer, `\s` in the regular expressions of LAVIS's text processors). JavaScript's `\s` is another set:
// it lacks U+001C-U+001F (file/group/record/unit separators) and U+0085 (next line), which Python's str.isspace()
// counts (bidirectional class B or S), and has U+FEFF (a byte-order mark, category Cf), which Python does not.

/**
 * The characters for which Python's str.isspace() is true (category Zs, or bidirectional class WS, B or S), which
 * are also what `\s` matches in a Python `re` pattern on str: tab, line feed, vertical tab, form feed, carriage
 * return, U+001C-U+001F, space, U+0085, no-break space, and the Unicode space separators and line/paragraph
 * separators. A character class body, for `new RegExp(`[${PY_WHITESPACE}]`)`.
 */
export const PY_WHITESPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

const RUNS = new RegExp(`[${PY_WHITESPACE}]+`, "u");

/** Python's `text.split()` with no argument: the non-empty pieces between runs of Python whitespace. */
export function pySplit(text: string): string[] {
  return text.split(RUNS).filter((w) => w.length > 0);
}
