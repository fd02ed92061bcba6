import { readFileSync, statSync, type Stats } from "node:fs";

/**
 * The text of a file a command was given or a config names (`extends`, a default config): only a regular file is
 * read. A device or a pipe (`extends "/dev/zero"`) would be read forever or block, so it is refused with what it is;
 * the loader reports the message (LV1011) like any file that cannot be read.
 */
export function readTextFile(path: string): string {
  const stats = statSync(path);
  if (!stats.isFile() && !stats.isDirectory()) throw new Error(`${kindOf(stats)}, not a file; lavisc reads configs from files`);
  return readFileSync(path, "utf8"); // a folder: EISDIR, as before
}

function kindOf(s: Stats): string {
  if (s.isCharacterDevice() || s.isBlockDevice()) return "a device";
  if (s.isFIFO()) return "a named pipe";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}
