// PyYAML (so OmegaConf, so LAVIS) ends a line at `\n`, `\r\n`, a lone `\r`, NEL (U+0085), and the line and paragraph
// separators (U+2028, U+2029); the `yaml` package and lavisc's fast reader end one only at `\n` and `\r\n`, so a file
// OmegaConf reads was LV1008 ("Nested mappings are not allowed in compact mappings") where one of the others
// separated two keys. Each becomes a `\n`: one UTF-16 unit for one, so every offset (and span) stays the file's own.
// One difference remains: inside a quoted or plain scalar that spans lines, PyYAML keeps U+2028 and U+2029 as
// characters of the value, where a `\n` folds into a space.

const OTHER_LINE_BREAK = /\r(?!\n)|[\u0085\u2028\u2029]/g;

/** `text` with each line break other than `\n` and `\r\n` replaced by `\n` (same length). */
export function withLineFeeds(text: string): string {
  OTHER_LINE_BREAK.lastIndex = 0;
  return OTHER_LINE_BREAK.test(text) ? text.replace(OTHER_LINE_BREAK, "\n") : text;
}
