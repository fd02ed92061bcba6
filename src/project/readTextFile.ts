import { readFileSync, statSync, type Stats } from "node:fs";
import { decodeUtf8 } from "./utf8Text.js";

/**
 * The largest config file read. The largest real one is a few hundred kB (bench:yaml's 5 MB file, 70,000 list items,
 * is already extreme) and reading YAML takes ~50 bytes of memory per byte, so a larger file is refused before it is
 * read rather than taking seconds and gigabytes to fail (a 2 GB file took 15 s and 2.1 GB).
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * The text of a file a command was given or a config names (`extends`, a default config): only a regular file of
 * at most `maxBytes` is read. A device or a pipe (`extends "/dev/zero"`) would be read forever or block, so it is
 * refused with what it is; the loader reports the message (LV1011) like any file that cannot be read.
 */
export function readTextFile(path: string, maxBytes = MAX_CONFIG_BYTES): string {
  const stats = statSync(path);
  if (!stats.isFile() && !stats.isDirectory()) throw new Error(`${kindOf(stats)}, not a file; lavisc reads configs from files`);
  refuseOverLimit(stats.size, maxBytes);
  return decodeUtf8(readFileSync(path)); // a folder: EISDIR, as before
}

/** The same limit for a text already in memory (a document open in the editor). */
export function limitedText(text: string, maxBytes = MAX_CONFIG_BYTES): string {
  if (text.length * 3 > maxBytes) refuseOverLimit(Buffer.byteLength(text), maxBytes); // UTF-8: at most 3 bytes a unit
  return text;
}

function refuseOverLimit(bytes: number, maxBytes: number): void {
  if (bytes <= maxBytes) return;
  throw new Error(`${mib(bytes)}, over the ${mib(maxBytes)} lavisc reads of a config file; a list this long belongs in a file the config names (an annotation file)`);
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

function kindOf(s: Stats): string {
  if (s.isCharacterDevice() || s.isBlockDevice()) return "a device";
  if (s.isFIFO()) return "a named pipe";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}
