import { existsSync, statSync, readdirSync, realpathSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isatty } from "node:tty";
import { directWriter } from "./directOutput.js";
import { writeFileAtomic } from "../storage/index.js";
import { readTextFile } from "../project/readTextFile.js";

/** Everything the CLI touches of the outside world, so commands run in-process in tests. */
export interface Host {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTTY: boolean;
  readonly color: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): string;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** The names in a folder (throws when it is not one). */
  listDir(path: string): string[];
  /** The path with every link resolved (a folder walk enters each real folder once); absent in memory: no links. */
  realPath?(path: string): string;
  /** `--stdlib-ext FILE`: the stdlib extension to use instead of the nearest `.lavisc/` folder. */
  readonly stdlibExt?: string;
  /** Writes via a temporary file in the same folder and a rename, so a reader never sees half a file. */
  writeFileAtomic(path: string, text: string): void;
  /**
   * Threads a folder check may use: the machine's cores for the real file system (worker threads read it with their
   * own host); absent for an in-memory host, whose files other threads cannot see.
   */
  readonly cores?: number;
  /**
   * A snapshot host's memo: `compute()`'s value, remembered under `key` until the host writes a file. Only a host
   * whose reads never change has one (snapshotHost); a caller without it computes every time.
   */
  remembered?<T>(key: string, compute: () => T): T;
}

export function nodeHost(): Host {
  return {
    cwd: process.cwd(),
    env: process.env,
    // Asked when output is rendered: node:tty loads net and streams, which a command that prints one line never needs.
    get isTTY() {
      return isatty(1);
    },
    get color() {
      return this.isTTY && !process.env.NO_COLOR;
    },
    stdout: directWriter(1, () => process.stdout),
    stderr: directWriter(2, () => process.stderr),
    readFile: readTextFile,
    exists: (p) => existsSync(p),
    isDirectory: (p) => { try { return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false; } catch { return false; } },
    listDir: (p) => readdirSync(p),
    realPath: (p) => realpathSync(p),
    writeFileAtomic: (p, t) => writeFileAtomic(p, t, { makeFolder: true, throughLinks: true }),
    cores: availableParallelism(),
  };
}

/**
 * The host as one read-only command sees the file system: a file's text, whether a path exists or is a folder, and
 * a folder's names are read once and remembered for the command's life (a folder check asks the same questions of
 * the same folders for every file: which `.lavisc/` applies, which files exist). A write goes through and forgets.
 */
export function snapshotHost(host: Host): Host {
  const texts = new Map<string, Settled<string>>();
  const exists = new Map<string, boolean>();
  const folders = new Map<string, boolean>();
  const listings = new Map<string, Settled<string[]>>();
  const derived = new Map<string, unknown>();
  return Object.assign(Object.create(host) as Host, {
    readFile: (path: string) => outcome(remember(texts, path, () => settle(() => host.readFile(path)))),
    exists: (path: string) => remember(exists, path, () => host.exists(path)),
    isDirectory: (path: string) => remember(folders, path, () => host.isDirectory(path)),
    listDir: (path: string) => [...outcome(remember(listings, path, () => settle(() => host.listDir(path))))],
    remembered: <T>(key: string, compute: () => T) => remember(derived, key, compute) as T,
    writeFileAtomic(path: string, text: string): void {
      for (const cache of [texts, exists, folders, listings, derived] as Map<string, unknown>[]) cache.clear();
      host.writeFileAtomic(path, text);
    },
  });
}

/** What a read gave: its value, or what it threw (a missing file is remembered as missing). */
type Settled<T> = { readonly value: T } | { readonly error: unknown };

function settle<T>(read: () => T): Settled<T> {
  try {
    return { value: read() };
  } catch (error) {
    return { error };
  }
}

function outcome<T>(s: Settled<T>): T {
  if ("error" in s) throw s.error;
  return s.value;
}

function remember<T>(cache: Map<string, T>, key: string, read: () => T): T {
  let v = cache.get(key);
  if (v === undefined) cache.set(key, (v = read()));
  return v;
}

/** An in-memory host for tests: files in a map, output captured. */
export function memoryHost(files: Record<string, string> = {}, cwd = "/work"): Host & { out: string; err: string; files: Map<string, string> } {
  const map = new Map(Object.entries(files));
  const h = {
    cwd,
    env: {} as Record<string, string | undefined>,
    isTTY: false,
    color: false,
    out: "",
    err: "",
    files: map,
    stdout(t: string) { h.out += t; },
    stderr(t: string) { h.err += t; },
    readFile(p: string) {
      const v = map.get(p);
      if (v === undefined) {
        try { return readTextFile(p); } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e; // a device, a folder, a file over the limit
          throw Object.assign(new Error(`ENOENT: no such file '${p}'`), { code: "ENOENT" });
        }
      }
      return v;
    },
    exists: (p: string) => map.has(p) || existsSync(p),
    isDirectory: (p: string) => [...map.keys()].some((k) => k.startsWith(`${p}/`)) || (() => { try { return statSync(p).isDirectory(); } catch { return false; } })(),
    realPath: (p: string) => (map.has(p) ? p : realpathSync(p)),
    listDir(p: string) {
      const names = new Set<string>();
      for (const k of map.keys()) if (k.startsWith(`${p}/`)) names.add(k.slice(p.length + 1).split("/")[0]!);
      try { for (const n of readdirSync(p)) names.add(n); } catch (e) { if (!names.size) throw e; }
      return [...names].sort();
    },
    writeFileAtomic(p: string, t: string) { map.set(p, t); },
  };
  return h;
}
