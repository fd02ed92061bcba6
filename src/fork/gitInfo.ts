import { basename, dirname, join } from "node:path";
import type { RepositoryReader } from "./repositoryFiles.js";

// The repository and commit a scan read, from the git checkout's own files (HEAD, refs, packed-refs, the origin's
// URL); no git process is run. Outside a checkout the folder's name stands for the repository.

export function gitInfo(dir: string, reader: RepositoryReader): { repository: string; commit: string | null } {
  let d = dir;
  for (;;) {
    const git = join(d, ".git");
    if (reader.isDirectory(git)) return { repository: originOf(git, reader) ?? basename(dir), commit: headOf(git, reader) };
    const up = dirname(d);
    if (up === d) return { repository: basename(dir), commit: null };
    d = up;
  }
}

function read(reader: RepositoryReader, path: string): string | null {
  try {
    return reader.readFile(path);
  } catch {
    return null;
  }
}

function headOf(git: string, reader: RepositoryReader): string | null {
  const head = read(reader, join(git, "HEAD"))?.trim();
  if (!head) return null;
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  if (!ref) return /^[0-9a-f]{40}$/.test(head) ? head : null;
  const loose = read(reader, join(git, ref))?.trim();
  if (loose && /^[0-9a-f]{40}$/.test(loose)) return loose;
  const packed = read(reader, join(git, "packed-refs")) ?? "";
  return new RegExp(`^([0-9a-f]{40}) ${ref.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m").exec(packed)?.[1] ?? null;
}

function originOf(git: string, reader: RepositoryReader): string | null {
  const config = read(reader, join(git, "config")) ?? "";
  const url = /\[remote "origin"\][^[]*?url\s*=\s*(\S+)/.exec(config)?.[1];
  if (!url) return null;
  return url.replace(/^[a-z+]+:\/\//, "").replace(/^git@([^:]+):/, "$1/").replace(/^[^@/]+@/, "").replace(/\.git$/, "");
}
