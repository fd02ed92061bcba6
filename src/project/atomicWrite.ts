import { writeFileSync, renameSync, mkdirSync, openSync, fsyncSync, closeSync, unlinkSync } from "node:fs";
import { dirname, basename, join } from "node:path";

/** Writes via a temporary file in the same folder, fsync and rename: a reader never sees half a file. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, data);
    const fd = openSync(tmp, "r+");
    try { fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
}
