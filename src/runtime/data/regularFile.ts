// Data files are read only when they are regular files. Opening a named pipe (FIFO) blocks until something writes to
// it, and a device may never end: either stalls a libuv thread in open()/read() for good, which no signal handler can
// interrupt and which even process.exit waits for. Every path lavisc reads from a dataset (images, local annotation
// urls) goes through here first.
import { constants, statSync, type Stats } from "node:fs";
import { open } from "node:fs/promises";

/** What a path is, in words, when it is not a regular file; null for a regular file (a link to one included). */
export function notRegularFile(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

/** "missing", a description of what it is instead of a regular file, or null when it is a regular file. */
export function fileProblem(path: string): string | null {
  let stats: Stats;
  try { stats = statSync(path); } catch { return "missing"; }
  return notRegularFile(stats);
}

/**
 * Reads a whole file, refusing anything but a regular file. The open is non-blocking, so a path replaced by a FIFO
 * after a check is still never waited on; the check is made on the opened file itself (fstat).
 */
export async function readRegularFile(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const kind = notRegularFile(await handle.stat());
    if (kind) throw new Error(`${path} is ${kind}, not an image file`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
