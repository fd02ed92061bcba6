// lavisc's one file writer: a temp file in the same folder, fsync, rename over the target, fsync the folder. A reader
// never sees half a file, and a failed write leaves the previous file as it was. Faults of the machine (full disk,
// read-only or vanished folder) become StorageErrors that name the file.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { storageFault } from "./storageError.js";

export interface WriteOptions {
  /** Create the folder (and its parents) first. Off for run outputs: a folder that vanished must not be silently remade. */
  readonly makeFolder?: boolean;
}

let serial = 0;

export function writeFileAtomic(path: string, data: Uint8Array | string, opts: WriteOptions = {}): void {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  if (opts.makeFolder) makeFolder(dirname(path));
  let tmp: string | null = null;
  let fd: number | null = null;
  try {
    ({ fd, tmp } = openFresh(path));
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) try { closeSync(fd); } catch { /* already failing */ }
    if (tmp !== null) try { unlinkSync(tmp); } catch { /* already gone */ }
    throw storageFault(e, path, bytes.length) ?? e;
  }
  syncFolder(dirname(path));
}

/** Creates the temp file exclusively (never through a link planted at its name); a leftover of a crash is skipped. */
function openFresh(path: string): { fd: number; tmp: string } {
  for (let attempt = 0; ; attempt++) {
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${serial++}.tmp`);
    try {
      return { fd: openSync(tmp, "wx"), tmp };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 8) throw e;
    }
  }
}

/** mkdir -p whose machine faults are StorageErrors. */
export function makeFolder(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    throw storageFault(e, join(path, "."), null) ?? e;
  }
}

function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, "r");
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch {
    // some file systems refuse fsync on folders; the rename itself is still atomic
  }
}
