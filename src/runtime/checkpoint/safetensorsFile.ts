// Reading safetensors files from disk piece by piece: the header first (validated before anything else is read), then
// each tensor at its offset, so no buffer holds the whole file (Node reads at most 2 GiB at once; a BLIP checkpoint
// with its AdamW moments is larger). Errors are messages, never throws.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { createHash } from "node:crypto";
import { headerLength, parseHeader, tensorsOf, type DecodeResult } from "./safetensors.js";

const PIECE = 1 << 30;

/** `length` bytes at `position`, or a message when the file ends before them. */
function readAt(fd: number, position: number, length: number): Buffer | string {
  const out = Buffer.allocUnsafe(length);
  for (let got = 0; got < length; ) {
    const n = readSync(fd, out, got, Math.min(length - got, PIECE), position + got);
    if (n === 0) return `the file ends after ${position + got} bytes (it changed while being read?)`;
    got += n;
  }
  return out;
}

export function readSafetensorsFile(path: string): DecodeResult {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    return { ok: false, error: `cannot read it (${(e as Error).message})` };
  }
  try {
    const size = fstatSync(fd).size;
    const first = readAt(fd, 0, Math.min(8, size));
    if (typeof first === "string") return { ok: false, error: first };
    const headerLen = headerLength(first, size);
    if (typeof headerLen === "string") return { ok: false, error: headerLen };
    const header = readAt(fd, 8, headerLen);
    if (typeof header === "string") return { ok: false, error: header };
    const parsed = parseHeader(header, size - 8 - headerLen);
    if (typeof parsed === "string") return { ok: false, error: parsed };
    return tensorsOf(parsed, (e) => readAt(fd, 8 + headerLen + e.begin, e.end - e.begin));
  } catch (e) {
    return { ok: false, error: `cannot read it (${(e as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

/** The file's sha256, read in pieces. */
export function sha256File(path: string): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(16 << 20);
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}
