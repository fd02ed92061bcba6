// A local annotation `url` that an existing storage file shadows. LAVIS's BaseDatasetBuilder._download_ann copies a
// local url to its storage path only when nothing is there yet ("Using existing file" otherwise), and lavisc does the
// same (an existing file is the user's and is never replaced). So a custom annotation file given as the url of a
// storage path that already holds another file, such as a builder's default COCO file from an earlier run, is never
// read, in silence (LAVIS#720). `plan`, the data preflight of `run` and the preflight of `run --engine lavis` say so.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The url's local file when the storage file at `path` exists and is another file with other bytes; else null. */
export function shadowedLocalUrl(url: string | undefined, path: string): string | null {
  if (!url || /^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith("file:")) return null;
  try {
    const local = url.startsWith("file:") ? fileURLToPath(url) : url;
    const ours = statSync(local), theirs = statSync(path);
    if (!ours.isFile() || !theirs.isFile() || (ours.dev === theirs.dev && ours.ino === theirs.ino)) return null;
    return ours.size !== theirs.size || !sameBytes(local, path, ours.size) ? local : null;
  } catch {
    return null; // unreadable or not there: the download or the reading of the file reports it
  }
}

function sameBytes(a: string, b: string, size: number): boolean {
  const fa = openSync(a, "r");
  try {
    const fb = openSync(b, "r");
    try {
      const chunk = 1 << 20;
      const ba = Buffer.allocUnsafe(chunk), bb = Buffer.allocUnsafe(chunk);
      for (let at = 0; at < size; ) {
        const na = readSync(fa, ba, 0, chunk, at), nb = readSync(fb, bb, 0, chunk, at);
        if (na === 0 || na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) return false;
        at += na;
      }
      return true;
    } finally {
      closeSync(fb);
    }
  } finally {
    closeSync(fa);
  }
}

/** What a shadowed url means, as a clause that `plan`, `run` and the LAVIS preflight complete. */
export function shadowedUrlMessage(url: string, path: string): string {
  return `its url ${url} is a local file with other content, which is not copied over an existing file (LAVIS logs "Using existing file"): the run reads ${path}, not ${url} (LAVIS#720)`;
}
