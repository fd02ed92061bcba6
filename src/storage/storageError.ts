// Faults of the machine while writing (full disk, read-only or vanished folder, no permission) and writes a config
// is not allowed to make (outside lavisc's storage, over a file lavisc did not create). They are user-facing
// conditions with a message that names the file and what to do, never internal errors.
import { statSync, statfsSync } from "node:fs";
import { dirname } from "node:path";

export type StorageFault = "disk-full" | "read-only" | "missing-folder" | "no-permission" | "io-error" | "outside-root" | "not-a-file" | "not-a-folder" | "bad-path";

export class StorageError extends Error {
  constructor(readonly fault: StorageFault, message: string, readonly path: string) {
    super(message);
    this.name = "StorageError";
  }
}

/** `12.3 MB`, `512 B`: sizes for messages and `plan` (decimal units, as `df -H` and file managers show them). */
export function byteSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = bytes / 1000, u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[u]}`;
}

/** Bytes an unprivileged process may still write in the file system that holds `folder`; null when unknown. */
export function freeBytes(folder: string): number | null {
  try {
    const s = statfsSync(folder);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/**
 * The user-facing StorageError for an error of a write to `path` of `bytes` bytes, or null when the error is not a
 * fault of the machine (then it is a bug and stays what it was).
 */
export function storageFault(e: unknown, path: string, bytes: number | null): StorageError | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const folder = dirname(path);
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
    case "EFBIG": {
      const free = freeBytes(folder);
      const need = bytes === null ? "" : ` (this file needs ${byteSize(bytes)}${free === null ? "" : `, ${byteSize(free)} are free there`})`;
      const what = code === "EDQUOT" ? "the disk quota is used up" : code === "EFBIG" ? "the file is larger than the file system allows" : "the disk is full";
      return new StorageError("disk-full", `cannot write ${path}: ${what}${need}; free space in ${folder} or write to a disk with room`, path);
    }
    case "EROFS":
      return new StorageError("read-only", `cannot write ${path}: ${folder} is on a read-only file system; write to a writable folder instead`, path);
    case "EACCES":
    case "EPERM":
      return new StorageError("no-permission", `cannot write ${path}: no permission to write in ${folder}; make it writable or write to another folder`, path);
    case "ENOTDIR":
      return notAFolder(path);
    case "ENOENT":
      return new StorageError("missing-folder", `cannot write ${path}: the folder ${folder} no longer exists (deleted or unmounted while lavisc ran); recreate it or write to another folder`, path);
    case "EIO":
      return new StorageError("io-error", `cannot write ${path}: input/output error from the disk (EIO); check the disk and write to another folder`, path);
    case "EEXIST": // mkdir where a file of that name is
      return new StorageError("not-a-folder", `cannot create the folder ${path}: a file of that name is there; give a folder there (an option's or output_dir's path)`, path);
    default:
      return badPath(e, path);
  }
}

/** A path no file system takes (a name too long, a loop of symbolic links, a NUL character): named, with what to do. */
export function badPath(e: unknown, path: string): StorageError | null {
  const err = e as NodeJS.ErrnoException | null;
  const shown = JSON.stringify(path);
  if (err?.code === "ENAMETOOLONG") return new StorageError("bad-path", `cannot use ${shown}: a name in it is longer than the file system allows (ENAMETOOLONG); use shorter names`, path);
  if (err?.code === "ELOOP") return new StorageError("bad-path", `cannot use ${shown}: its symbolic links make a loop (ELOOP); fix the links or use another folder`, path);
  if (err?.code === "ERR_INVALID_ARG_VALUE" && /null bytes/.test(err.message)) return new StorageError("bad-path", `cannot use ${shown}: a path cannot hold a NUL character (\\u0000); remove it`, path);
  return null;
}

/**
 * ENOTDIR: a folder on the way to `path` is a file (`--data-root` or `output_dir` naming a file, `/dev/null/x`):
 * named, with what to do, whether lavisc was reading or writing there.
 */
export function notAFolder(path: string): StorageError {
  let p = dirname(path);
  for (;;) {
    let st;
    try {
      st = statSync(p, { throwIfNoEntry: false });
    } catch {
      st = undefined; // ENOTDIR itself: a file further up
    }
    if (st && !st.isDirectory()) return new StorageError("not-a-folder", `cannot use ${path}: ${p} is a file, not a folder; give a folder there (an option's or output_dir's path)`, path);
    const up = dirname(p);
    if (up === p) return new StorageError("not-a-folder", `cannot use ${path}: a folder on its way is a file; give a folder there`, path);
    p = up;
  }
}
