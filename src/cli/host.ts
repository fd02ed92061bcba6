import { readFileSync, existsSync, statSync, readdirSync } from "node:fs";
import { writeFileAtomic } from "../storage/index.js";

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
  /** `--stdlib-ext FILE`: the stdlib extension to use instead of the nearest `.lavisc/` folder. */
  readonly stdlibExt?: string;
  /** Writes via a temporary file in the same folder and a rename, so a reader never sees half a file. */
  writeFileAtomic(path: string, text: string): void;
}

export function nodeHost(): Host {
  const isTTY = !!process.stdout.isTTY;
  return {
    cwd: process.cwd(),
    env: process.env,
    isTTY,
    color: isTTY && !process.env.NO_COLOR,
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readFile: (p) => readFileSync(p, "utf8"),
    exists: (p) => existsSync(p),
    isDirectory: (p) => { try { return statSync(p).isDirectory(); } catch { return false; } },
    listDir: (p) => readdirSync(p),
    writeFileAtomic: (p, t) => writeFileAtomic(p, t, { makeFolder: true }),
  };
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
      if (v === undefined) { try { return readFileSync(p, "utf8"); } catch { throw Object.assign(new Error(`ENOENT: no such file '${p}'`), { code: "ENOENT" }); } }
      return v;
    },
    exists: (p: string) => map.has(p) || existsSync(p),
    isDirectory: (p: string) => [...map.keys()].some((k) => k.startsWith(`${p}/`)) || (() => { try { return statSync(p).isDirectory(); } catch { return false; } })(),
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
