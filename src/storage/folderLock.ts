// A lock file that says which process works in a folder: created exclusively (`wx`) with the process id inside. A lock
// whose process has ended (a crash, a kill -9) is stale and taken over; a live one is reported, never ignored.
import { openSync, closeSync, writeSync, readFileSync, unlinkSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type FolderLock = { readonly held: true; release(): void } | { readonly held: false; readonly pid: number };

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

export function lockFolder(lockPath: string): FolderLock {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        held: true,
        release: () => {
          if (released) return;
          released = true;
          try {
            unlinkSync(lockPath);
          } catch {
            /* already gone: nothing to release */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number.parseInt(readFileSafe(lockPath), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return { held: false, pid };
      // Stale (its process has ended) or unreadable: take it over.
      try {
        unlinkSync(lockPath);
      } catch {
        /* another process took it over first; the next attempt sees its lock */
      }
    }
  }
  return { held: false, pid: Number.parseInt(readFileSafe(lockPath), 10) || 0 };
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
