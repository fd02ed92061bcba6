// Crash-safe file writes: write a temp file in the same directory, fsync it, rename over the target, fsync the directory.
import { closeSync, fsyncSync, openSync, renameSync, writeSync, unlinkSync } from "node:fs";
import { dirname, basename, join } from "node:path";

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const fd = openSync(tmp, "w");
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  try {
    const dfd = openSync(dirname(path), "r");
    fsyncSync(dfd);
    closeSync(dfd);
  } catch {
    // some filesystems refuse fsync on directories; the rename itself is still atomic
  }
}

/** Appending variant for logs: rewrites the whole file atomically (log files stay small). */
export function appendFileAtomic(path: string, current: string, addition: string): string {
  const next = current + addition;
  writeFileAtomic(path, next);
  return next;
}
