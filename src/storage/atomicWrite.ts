// lavisc's one file writer: a temp file in the same folder, fsync, rename over the target, fsync the folder. A reader
// never sees half a file, and a failed write leaves the previous file as it was. Faults of the machine (full disk,
// read-only or vanished folder) become StorageErrors that name the file.
import { closeSync, existsSync, fchmodSync, fchownSync, fsyncSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { StorageError, storageFault } from "./storageError.js";

/** A file written in pieces (a checkpoint larger than one buffer may hold): its size and its bytes, in order. */
export interface FileChunks {
  readonly byteLength: number;
  chunks(): Iterable<Uint8Array>;
}

const PIECE = 1 << 30; // writeSync takes at most 2 GiB at once

export interface WriteOptions {
  /** Create the folder (and its parents) first. Off for run outputs: a folder that vanished must not be silently remade. */
  readonly makeFolder?: boolean;
  /**
   * A link at the path is written through to its file (for a file the user named: `fmt --write`, `-o`); without it
   * the rename replaces the link, so a link planted in an output folder cannot lead lavisc's own writes elsewhere.
   */
  readonly throughLinks?: boolean;
}

let serial = 0;

export function writeFileAtomic(target: string, data: Uint8Array | string | FileChunks, opts: WriteOptions = {}): void {
  const file: FileChunks = typeof data === "string" ? whole(Buffer.from(data, "utf8")) : data instanceof Uint8Array ? whole(data) : data;
  const { path, replaced } = replaceableFile(target, opts.throughLinks ?? false);
  if (opts.makeFolder) makeFolder(dirname(path));
  let tmp: string | null = null;
  let fd: number | null = null;
  try {
    ({ fd, tmp } = openFresh(path));
    if (replaced) keepModeAndOwner(fd, replaced);
    for (const piece of file.chunks()) {
      for (let off = 0; off < piece.length; ) off += writeSync(fd, piece, off, Math.min(piece.length - off, PIECE));
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) try { closeSync(fd); } catch { /* already failing */ }
    if (tmp !== null) try { unlinkSync(tmp); } catch { /* already gone */ }
    throw storageFault(e, path, file.byteLength) ?? e;
  }
  syncFolder(dirname(path));
}

/**
 * The file a write replaces at `path`: the path itself when nothing, a regular file or (without `throughLinks`) a link
 * is there; with `throughLinks`, the file a link points to (the link stays, as editors and write-file-atomic do).
 * Anything else would be replaced by the rename, so it is refused: a device (`-o /dev/full` as root replaced the
 * device node), a pipe, a socket, a folder, or a link to nothing or to one of those. `replaced`: the regular file the
 * write replaces (null for a new file, or a link replaced by a file of its own).
 */
function replaceableFile(path: string, throughLinks: boolean): { path: string; replaced: Stats | null } {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return { path, replaced: null }; // nothing there yet (or a folder on the way is missing: the write reports it)
  }
  if (st.isFile()) return { path, replaced: st };
  if (st.isSymbolicLink() && !throughLinks) return { path, replaced: null };
  if (!st.isSymbolicLink()) throw notAFile(path, st);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new StorageError("not-a-file", `cannot write ${path}: it is a link to a file that does not exist; remove the link or write to another path`, path);
  }
  const target = statSync(real);
  if (!target.isFile()) throw notAFile(path, target);
  return { path: real, replaced: target };
}

/**
 * The replacement keeps the replaced file's permissions (a private 0600 config stayed private only until `fmt --write`
 * made it 0644) and, where the process may set them, its owner and group.
 */
function keepModeAndOwner(fd: number, st: Stats): void {
  fchmodSync(fd, st.mode & 0o7777);
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    try { fchownSync(fd, st.uid, st.gid); } catch { /* a file system without owners */ }
  }
}

function notAFile(path: string, st: Stats): StorageError {
  const what = st.isDirectory() ? "a folder" : st.isCharacterDevice() || st.isBlockDevice() ? "a device" : st.isFIFO() ? "a named pipe" : st.isSocket() ? "a socket" : "not a regular file";
  return new StorageError("not-a-file", `cannot write ${path}: it is ${what}, and lavisc writes regular files only; write to a file path instead`, path);
}

const whole = (bytes: Uint8Array): FileChunks => ({ byteLength: bytes.length, chunks: () => [bytes] });

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

/**
 * mkdir -p whose machine faults are StorageErrors. One level at a time from the nearest existing folder: Node 20's
 * recursive mkdirSync never returns under /proc (mkdir there fails with ENOENT, and it tries again).
 */
export function makeFolder(path: string): void {
  const target = resolve(path);
  const missing: string[] = [];
  for (let p = target; !existsSync(p) && dirname(p) !== p; p = dirname(p)) missing.unshift(p);
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (e) {
      if (isFolder(folder)) continue; // made meanwhile by another process
      // EEXIST for a link that leads nowhere a folder can be (a loop: ELOOP) is reported as what stat says.
      if ((e as NodeJS.ErrnoException).code === "EEXIST") statOrFault(folder);
      if ((e as NodeJS.ErrnoException).code === "ENOENT" && isFolder(dirname(folder))) {
        throw new StorageError("no-permission", `cannot create the folder ${folder}: ${dirname(folder)} takes no new folders (a virtual file system such as /proc); write elsewhere`, folder);
      }
      throw storageFault(e, folder, null) ?? e;
    }
  }
  if (!isFolder(target)) throw storageFault(Object.assign(new Error(`EEXIST: ${target}`), { code: "EEXIST" }), target, null)!;
}

function statOrFault(path: string): void {
  try {
    statSync(path);
  } catch (e) {
    throw storageFault(e, path, null) ?? e;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
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
