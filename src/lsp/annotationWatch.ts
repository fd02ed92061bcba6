import { basename, dirname } from "node:path";
import { DidChangeWatchedFilesNotification, type Connection, type Disposable, type FileSystemWatcher } from "vscode-languageserver/node";
import { pathToUri } from "./convert.js";

// The local annotation files the open documents' split-size checks counted or looked for (analysis.ts) live where the
// data does ($LAVISC_CACHE, the data root, a dataset's storage root), seldom in the workspace, so the server's `**/`
// globs do not cover them: it asks the client to watch each one by name, and asks again when the set changes. A
// client with relative patterns (LSP 3.17: VS Code) watches a file's folder for its name, outside the workspace too;
// another gets the file's absolute path as a glob (a client that matches globs against workspace paths only sees the
// annotation files inside the workspace).

export class AnnotationWatch {
  /** The watched paths, sorted and joined: what the latest registration asked for. */
  private watched = "";
  /** The latest registration (null: none), after the ones before it: each replaces the one before once it is made. */
  private registration: Promise<Disposable | null> = Promise.resolve(null);

  constructor(
    private readonly connection: Connection,
    private readonly relativePatterns: boolean,
    private readonly warn: (message: string) => void,
  ) {}

  /** Watches exactly the files `paths` (missing ones included: their creation is a change too). */
  update(paths: Iterable<string>): void {
    const sorted = [...new Set(paths)].sort();
    const id = sorted.join("\0");
    if (id === this.watched) return;
    this.watched = id;
    const watchers = sorted.map((p) => watcherOf(p, this.relativePatterns));
    this.registration = this.registration.then(async (previous) => {
      const next = watchers.length ? await this.register(watchers) : null;
      previous?.dispose();
      return next;
    });
  }

  private async register(watchers: FileSystemWatcher[]): Promise<Disposable | null> {
    try {
      return await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
    } catch (e) {
      this.warn(`lavisc: changes to annotation files on disk are not watched: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }
}

/** A watcher for one file: its folder and name, or its absolute path, as a glob that matches it. */
export function watcherOf(path: string, relativePatterns: boolean): FileSystemWatcher {
  if (relativePatterns) return { globPattern: { baseUri: pathToUri(dirname(path)), pattern: literalGlob(basename(path)) } };
  return { globPattern: literalGlob(path.replace(/\\/g, "/")) };
}

/**
 * A glob that matches `text` as it is: LSP's glob syntax has no escape, so each of its special characters
 * (`* ? [ ] { }`) becomes `?`, which matches it (and, rarely, another file of the same name's length as well).
 */
export function literalGlob(text: string): string {
  return text.replace(/[*?[\]{}]/g, "?");
}
