// A config's bytes as text, decoded as OmegaConf.load reads a file (Python's `open(path, encoding="utf-8")`):
// strictly. A byte that is not UTF-8 stops LAVIS with a UnicodeDecodeError before anything is merged, so lavisc must
// not read it as U+FFFD and go on (a Latin-1 `é` in a prompt, or a UTF-16 file, which PowerShell's `>` writes).
// A UTF-8 byte-order mark is kept as U+FEFF, as readFileSync's "utf8" keeps it: the readers deal with it.

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Text that is not UTF-8 (its message says where, or that it is UTF-16). */
export class NotUtf8Error extends Error {}

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new NotUtf8Error(notUtf8Message(bytes));
  }
}

function notUtf8Message(bytes: Uint8Array): string {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) return "UTF-16 text (it starts with a UTF-16 byte-order mark, as PowerShell's `>` writes), and LAVIS reads configs as UTF-8; save it as UTF-8";
  const at = firstInvalidByte(bytes);
  let line = 1, lineStart = 0;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) (line++, (lineStart = i + 1));
  const hex = bytes[at]!.toString(16).toUpperCase().padStart(2, "0");
  return `not UTF-8 text: byte 0x${hex} at line ${line}, byte ${at - lineStart + 1} of the line, is not part of a UTF-8 character, and LAVIS reads configs as UTF-8 (Python stops with a UnicodeDecodeError); save the file as UTF-8`;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates). */
function firstInvalidByte(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // The second byte's range depends on the first (E0: A0-BF, ED: 80-9F, F0: 90-BF, F4: 80-8F), the rest 80-BF.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}
