import type { FileReader } from "../index.js";

// A reader that notes every path a check asks about, found or not: a base that does not exist yet, a `.lavisc/`
// folder searched for, a folder listed. The document depends on each of them: when one appears, changes or goes (in
// the editor or on disk), the document is checked again.

export interface RecordingReader {
  readonly reader: FileReader;
  /** Every path read, tested, or listed, in the order first asked. */
  readonly asked: ReadonlySet<string>;
}

export function recordingReader(inner: FileReader): RecordingReader {
  const asked = new Set<string>();
  const note = <T>(path: string, f: () => T): T => {
    asked.add(path);
    return f();
  };
  const reader: FileReader = {
    readFile: (path) => note(path, () => inner.readFile(path)),
    exists: (path) => note(path, () => inner.exists(path)),
    ...(inner.listDir ? { listDir: (path: string) => note(path, () => inner.listDir!(path)) } : {}),
    ...(inner.isDirectory ? { isDirectory: (path: string) => note(path, () => inner.isDirectory!(path)) } : {}),
    ...(inner.stdlibExt !== undefined ? { stdlibExt: inner.stdlibExt } : {}),
    ...(inner.remembered ? { remembered: inner.remembered.bind(inner) } : {}),
  };
  return { reader, asked };
}
