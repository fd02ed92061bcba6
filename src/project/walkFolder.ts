import { join } from "node:path";

// A folder's files, each real folder entered once: a link back to a folder on the way down (a loop, `up -> ..`) or to
// one walked already would otherwise repeat its files, 40 levels deep before the system says ELOOP.

/** What a walk needs of the file system. Without `realPath` (an in-memory host) a path is its own real path. */
export interface FolderReader {
  listDir(path: string): string[];
  isDirectory(path: string): boolean;
  realPath?(path: string): string;
}

export interface WalkRule {
  /** Whether to enter a folder of this name (hidden folders are never entered). */
  enter(name: string): boolean;
  /** Whether to keep a file of this name. */
  keep(name: string): boolean;
}

/** A folder not walked, and why: the same real folder as `sameAs` (walked already or on the way down), or a listing that failed. */
export type NotEntered =
  | { readonly path: string; readonly reason: "link"; readonly sameAs: string }
  | { readonly path: string; readonly reason: "unreadable"; readonly error: string };

export interface FolderWalk {
  /** The kept files, in name order within each folder. */
  readonly files: string[];
  readonly notEntered: NotEntered[];
}

export function walkFolder(dir: string, reader: FolderReader, rule: WalkRule): FolderWalk {
  const files: string[] = [];
  const notEntered: NotEntered[] = [];
  const walked = new Map<string, string>(); // real path -> the path it was walked under
  const walk = (d: string): void => {
    const real = realPathOf(reader, d);
    const first = walked.get(real);
    if (first !== undefined) return void notEntered.push({ path: d, reason: "link", sameAs: first });
    walked.set(real, d);
    let names: string[];
    try {
      names = reader.listDir(d).sort();
    } catch (e) {
      return void notEntered.push({ path: d, reason: "unreadable", error: (e as Error).message });
    }
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const p = join(d, name);
      if (reader.isDirectory(p)) {
        if (rule.enter(name)) walk(p);
      } else if (rule.keep(name)) files.push(p);
    }
  };
  walk(dir);
  return { files, notEntered };
}

function realPathOf(reader: FolderReader, path: string): string {
  try {
    return reader.realPath ? reader.realPath(path) : path;
  } catch {
    return path;
  }
}
