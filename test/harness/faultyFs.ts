// Faults of the machine on demand: makes node:fs fail the writes (or folder creations) of chosen paths with an errno
// such as ENOSPC or EROFS, for the real code under test (ES module imports of node:fs are updated through
// syncBuiltinESMExports). Returns a function that undoes it.
import { createRequire, syncBuiltinESMExports } from "node:module";

const fs = createRequire(import.meta.url)("node:fs") as typeof import("node:fs");

export interface Fault {
  /** Which paths fail (the temp file of an atomic write is `.<name>.<pid>.<n>.tmp` in the target's folder). */
  readonly match: (path: string) => boolean;
  /** errno code, e.g. "ENOSPC", "EROFS", "EACCES". */
  readonly code: string;
  /** Where it fails: writing an opened file (default) or opening/creating it. */
  readonly at?: "write" | "open";
}

export function errnoError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected fault, ${syscall}${path ? ` '${path}'` : ""}`), { code, syscall, ...(path ? { path } : {}) });
}

export function injectFault(fault: Fault): () => void {
  const original = { openSync: fs.openSync, writeSync: fs.writeSync, mkdirSync: fs.mkdirSync };
  const faulty = new Set<number>();
  fs.openSync = ((path: Parameters<typeof fs.openSync>[0], ...rest: unknown[]) => {
    const p = String(path);
    if (fault.match(p) && fault.at === "open") throw errnoError(fault.code, "open", p);
    const fd = (original.openSync as (...a: unknown[]) => number)(path, ...rest);
    if (fault.match(p)) faulty.add(fd);
    else faulty.delete(fd);
    return fd;
  }) as typeof fs.openSync;
  fs.writeSync = ((fd: number, ...rest: unknown[]) => {
    if (faulty.has(fd)) throw errnoError(fault.code, "write");
    return (original.writeSync as (...a: unknown[]) => number)(fd, ...rest);
  }) as typeof fs.writeSync;
  fs.mkdirSync = ((path: Parameters<typeof fs.mkdirSync>[0], ...rest: unknown[]) => {
    if (fault.at === "open" && fault.match(String(path))) throw errnoError(fault.code, "mkdir", String(path));
    return (original.mkdirSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.mkdirSync;
  syncBuiltinESMExports();
  return () => {
    Object.assign(fs, original);
    syncBuiltinESMExports();
  };
}
