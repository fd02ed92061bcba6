import { diag, type Diagnostic } from "../diagnostics/index.js";

// PyYAML's Reader (OmegaConf's loader) refuses the whole stream if it holds a character outside its printable set
// (DEL, C0 and C1 controls other than tab and line breaks, U+FFFE, U+FFFF, lone surrogates), wherever it stands: in
// quoted text and comments too ("unacceptable character #x007f: special characters are not allowed"). The `yaml`
// package reads them, so lavisc reports the first one (LV1008) rather than reading a file that LAVIS cannot load.

/** PyYAML's Reader.NON_PRINTABLE. */
const NON_PRINTABLE = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** LV1008 at the first character OmegaConf's loader refuses to read, or null. */
export function unacceptableCharacter(text: string, file: string): Diagnostic | null {
  const found = NON_PRINTABLE.exec(text);
  if (!found) return null;
  const code = found[0].codePointAt(0)!;
  const hex = code.toString(16).padStart(4, "0");
  return diag("LV1008", { file, start: found.index, end: found.index + found[0].length }, {
    detail: `unacceptable character #x${hex}: OmegaConf's loader (PyYAML) refuses it wherever it stands, in quoted text and comments too ("special characters are not allowed"); write it as an escape in double-quoted text ("\\u${hex}")`,
  });
}
