import type { FileReader } from "./loadExperiment.js";

/**
 * `reader` with one file's text given in memory (a candidate fix, an export or a migration checked before anything is
 * written): that path reads as `text` and exists; every other read, listing, memo and `--stdlib-ext` is the reader's.
 */
export function readerWithText(reader: FileReader, path: string, text: string): FileReader {
  return Object.assign(Object.create(reader) as FileReader, {
    readFile: (p: string) => (p === path ? text : reader.readFile(p)),
    exists: (p: string) => p === path || reader.exists(p),
  });
}
