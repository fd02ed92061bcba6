// Split sizes counted once. COCO's caption annotations are ~90 MB of JSON: reading and scanning them takes most of a
// second (annotationRecords.ts; JSON.parse took twice that), and a check reads a split's files for its size rules, a folder check for every project that uses them, the
// editor for every edit, `plan` again. So what annotationStats.ts counts is remembered, in the process and in lavisc's
// cache folder ($LAVISC_CACHE/annotation-stats/, one small JSON file per split), under a fingerprint of each file: its
// path, size, modification and change times and inode. A file that is rewritten, touched or replaced is counted again.
// The cache folder is lavisc's own; a cache that cannot be read or written is counted around, never an error.
// The language server watches the files a check looked up (lookedUpAnnotations) and, when one changes on disk, forgets
// what was counted from it (forgetSplitStatsOf): a timestamp too coarse to tell two versions apart is no stale count.
import { readFileSync, rmSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { cacheDir } from "../runtime/data/cache.js";
import { writeFileAtomic } from "../storage/index.js";
import type { SplitStats } from "./annotationStats.js";

const FORMAT = 3; // 2: SplitStats.uncaptioned; 3: stringCaptions, listCaptions

/** What identifies one version of a file: rewriting it changes its change time even when size and mtime are kept. */
type Fingerprint = readonly [path: string, size: number, mtimeMs: number, ctimeMs: number, ino: number];

interface CacheEntry {
  readonly format: number;
  readonly files: readonly Fingerprint[];
  readonly stats: SplitStats | null;
}

const inProcess = new Map<string, SplitStats | null>();

/** The annotation paths looked up while lookedUpAnnotations runs its function; null when nothing records them. */
let lookups: Set<string> | null = null;

/**
 * Runs `f` (a check) and says which local annotation files it looked up for split sizes, found or missing: what the
 * language server watches, so that a count that changes re-checks the documents that read it.
 */
export function lookedUpAnnotations<T>(f: () => T): { result: T; paths: string[] } {
  const outer = lookups, mine = new Set<string>();
  lookups = mine;
  try {
    return { result: f(), paths: [...mine] };
  } finally {
    lookups = outer;
    for (const p of mine) outer?.add(p);
  }
}

/**
 * Forgets every count that read a file `changed` says changed, in this process and in the cache folder (under the
 * keys this process used): the next look-up counts it again, even where the file's new version has the old one's
 * fingerprint (a rewrite of the same size within a coarse timestamp's tick).
 */
export function forgetSplitStatsOf(changed: (path: string) => boolean): void {
  for (const key of [...inProcess.keys()]) {
    if (!(JSON.parse(key) as Fingerprint[]).some(([path]) => changed(path))) continue;
    inProcess.delete(key);
    try {
      rmSync(entryPath(key), { force: true });
    } catch {
      /* a read-only cache folder: the entry stays, read again only by a version with the same fingerprint */
    }
  }
}

/** Where a first count goes when it must not block the caller (the editor's main thread); null: counted in place. */
let deferred: ((paths: readonly string[]) => void) | null = null;

/**
 * From now on, a split that is neither remembered nor stored is handed to `defer` (which counts it elsewhere and gives
 * the result to acceptSplitStats) and is unknown until then. The language server sets this, so that opening an
 * experiment over COCO-size annotation files answers at once; null restores counting in place.
 */
export function deferSplitCounting(defer: ((paths: readonly string[]) => void) | null): void {
  deferred = defer;
}

/** Takes a count made elsewhere (splitCountWorker.ts), under the key its files had when it was counted. */
export function acceptSplitStats(key: string, stats: SplitStats | null): void {
  inProcess.set(key, stats);
}

/** The key of the files' current versions, as rememberedSplitStats files a count; null when one is not a file. */
export function splitStatsKey(paths: readonly string[]): string | null {
  const files = fingerprints(paths);
  return files ? JSON.stringify(files) : null;
}

/** The split sizes of the annotation files `paths` (in order): remembered, else `count()`ed and remembered. */
export function rememberedSplitStats(paths: readonly string[], count: () => SplitStats | null): SplitStats | null {
  for (const path of paths) lookups?.add(path);
  const files = fingerprints(paths);
  // A file that is missing or not a regular file: the split's size is unknown, as annotationStats.ts says.
  if (!files) return null;
  const key = JSON.stringify(files);
  if (inProcess.has(key)) return inProcess.get(key)!;
  const file = entryPath(key);
  const stored = readEntry(file, files);
  if (stored === undefined && deferred) {
    deferred(paths);
    return null;
  }
  const stats = stored !== undefined ? stored : count();
  inProcess.set(key, stats);
  if (stored === undefined) writeEntry(file, { format: FORMAT, files, stats });
  return stats;
}

/** Forgets what this process remembered (the cache folder stays): for tests. */
export function forgetRememberedSplitStats(): void {
  inProcess.clear();
}

/** The folder of the remembered counts. */
export function splitStatsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), "annotation-stats");
}

function fingerprints(paths: readonly string[]): Fingerprint[] | null {
  const out: Fingerprint[] = [];
  for (const path of paths) {
    let st;
    try {
      st = statSync(path, { throwIfNoEntry: false });
    } catch {
      return null; // a folder on the way cannot be searched
    }
    if (!st?.isFile()) return null;
    out.push([path, st.size, st.mtimeMs, st.ctimeMs, st.ino]);
  }
  return out;
}

function entryPath(key: string): string {
  return join(splitStatsCacheDir(), `${createHash("sha256").update(key).digest("hex").slice(0, 32)}.json`);
}

/** The stored count for exactly these file versions; undefined when there is none (or it is unreadable or another's). */
function readEntry(file: string, files: readonly Fingerprint[]): SplitStats | null | undefined {
  let entry: CacheEntry;
  try {
    entry = JSON.parse(readFileSync(file, "utf8")) as CacheEntry;
  } catch {
    return undefined;
  }
  if (entry?.format !== FORMAT || JSON.stringify(entry.files) !== JSON.stringify(files) || !isStats(entry.stats)) return undefined;
  return entry.stats;
}

function isStats(s: unknown): s is SplitStats | null {
  if (s === null) return true;
  const x = s as Record<string, unknown>;
  return typeof x === "object" && ["records", "images", "texts"].every((k) => Number.isSafeInteger(x[k])) && Array.isArray(x["files"]) && x["files"].every((f) => typeof f === "string");
}

function writeEntry(file: string, entry: CacheEntry): void {
  try {
    writeFileAtomic(file, JSON.stringify(entry), { makeFolder: true });
  } catch {
    /* a read-only or full cache folder: counted again next time */
  }
}
