// Counts the records of local annotation files, so the graph checks and the plan can use real split sizes.
// Only files that exist locally are read (never downloaded); anything unreadable gives null ("unknown"). Counted from
// the files' bytes (annotationRecords.ts) once, then remembered (annotationStatsCache.ts).
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { cacheDir } from "../runtime/data/cache.js";
import { defaultDataRoot } from "../data/index.js";
import type { DatasetSpec } from "../runtime/runSpec.js";
import { rememberedSplitStats } from "./annotationStatsCache.js";
import { scanRecords } from "./annotationRecords.js";
import { DistinctImages } from "./distinctImages.js";

export interface SplitStats {
  /** Records the dataset serves for this split (sum over its annotation files). */
  readonly records: number;
  /** Distinct images, and texts (caption lists of eval records counted out), when the records say so. */
  readonly images: number;
  readonly texts: number;
  readonly files: readonly string[];
  /** Records whose `caption` is an empty list: how many, and the first (its file and position there). */
  readonly uncaptioned?: RecordTally;
  /** Records whose `caption` is a string, and those whose `caption` is a list (LAVIS's datasets read one of the two). */
  readonly stringCaptions?: RecordTally;
  readonly listCaptions?: RecordTally;
}

/** How many records of a split have some property, and where the first is. */
export interface RecordTally { readonly count: number; readonly file: string; readonly index: number }

/** `tally` with `count` more records from `file`, whose first is at `index` there. */
function addTally(tally: RecordTally | undefined, count: number, file: string, index: number): RecordTally | undefined {
  return count ? { count: (tally?.count ?? 0) + count, file: tally?.file ?? file, index: tally?.index ?? index } : tally;
}

export type FileReader = (path: string) => string | null;

/** The local file system as a FileReader. countRecords reads its files as bytes instead (readLocalBytes). */
export const readLocalFile: FileReader = (path) => readLocalBytes(path)?.toString("utf8") ?? null;

/**
 * Where a `storage` path lives: absolute, or under the dataset's storage root; when absent, the data root for built-in
 * datasets and lavisc's download cache (LAVIS's cache_root) for the others, from `env` ($LAVISC_DATA, $LAVISC_CACHE):
 * the host's, which the command hands down (never the process's behind its back).
 */
export function storagePath(ds: Pick<DatasetSpec, "storageRoot" | "prepare">, storage: string, env: NodeJS.ProcessEnv): string {
  return isAbsolute(storage) ? storage : join(storageRootOf(ds, env), storage);
}

/** The folder a dataset's relative `storage` paths live in, and the only one a run downloads annotations into. */
export function storageRootOf(ds: Pick<DatasetSpec, "storageRoot" | "prepare">, env: NodeJS.ProcessEnv): string {
  return ds.storageRoot ?? (ds.prepare ? defaultDataRoot(env) : cacheDir(env));
}

/**
 * Sizes of one split from its first annotation file list (VQA eval splits list extra files after the records: answer
 * list, COCO question/annotation files — only files holding a JSON list of records are counted). null when unknown.
 * Relative storage paths are under the roots `env` names (storagePath).
 */
export function splitStats(ds: Pick<DatasetSpec, "splits" | "storageRoot" | "prepare">, split: string, env: NodeJS.ProcessEnv, read: FileReader = readLocalFile): SplitStats | null {
  const src = ds.splits.find((s) => s.split === split);
  if (!src || !src.annotations.length) return null;
  const paths = src.annotations.map((a) => storagePath(ds, a.storage, env));
  // Files on disk are counted once and remembered (annotationStatsCache.ts); another reader (a test's) is read each time.
  return read === readLocalFile ? countedSplitStats(paths) : countRecords(paths, read);
}

/** The sizes of the split whose local annotation files are `paths` (in order): counted in place and remembered. */
export function countedSplitStats(paths: readonly string[]): SplitStats | null {
  return rememberedSplitStats(paths, () => countRecords(paths, readLocalFile));
}

/** The sizes of a split whose annotation files are `paths`, in order, read with `read`. */
function countRecords(paths: readonly string[], read: FileReader): SplitStats | null {
  let records = 0, texts = 0;
  let uncaptioned: RecordTally | undefined, stringCaptions: RecordTally | undefined, listCaptions: RecordTally | undefined;
  const images: DistinctImages[] = [];
  const files: string[] = [];
  for (const path of paths) {
    const bytes = read === readLocalFile ? readLocalBytes(path) : utf8(read(path));
    if (bytes === null) return null;
    const fileImages = new DistinctImages(bytes);
    const scan = scanRecords(bytes, fileImages);
    if (scan === null) return null; // not JSON
    if (!scan.array) {
      if (files.length) continue; // answer lists and COCO-format files after the records
      return null;
    }
    if (files.length && scan.allStrings) continue; // an answer list
    files.push(path);
    records += scan.records;
    texts += scan.texts;
    uncaptioned = addTally(uncaptioned, scan.uncaptioned, path, scan.firstUncaptioned);
    stringCaptions = addTally(stringCaptions, scan.stringCaptions, path, scan.firstStringCaption);
    listCaptions = addTally(listCaptions, scan.listCaptions, path, scan.firstListCaption);
    images.push(fileImages);
  }
  return {
    records, images: distinctCount(images), texts, files,
    ...(uncaptioned ? { uncaptioned } : {}), ...(stringCaptions ? { stringCaptions } : {}), ...(listCaptions ? { listCaptions } : {}),
  };
}

/** The images of a split: one file's count, or the size of the union of several files' images. */
function distinctCount(perFile: readonly DistinctImages[]): number {
  if (perFile.length === 1) return perFile[0]!.size;
  const all = new Set<string>();
  for (const file of perFile) for (const image of file.strings()) all.add(image);
  return all.size;
}

/**
 * The largest annotation file counted: one is read whole (the scan holds its bytes and little else), so this bounds a
 * check's memory. It is about the largest file the earlier reader, which decoded the file to one string, could read.
 */
export const MAX_COUNTED_FILE_BYTES = 512 * 1024 * 1024;

/** A local file's bytes (scanned as they are: decoding 80 MB to a string alone took ~0.2 s), or null: missing, not a
 * file, or over `maxBytes`. */
export function readLocalBytes(path: string, maxBytes = MAX_COUNTED_FILE_BYTES): Buffer | null {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st?.isFile() && st.size <= maxBytes ? readFileSync(path) : null;
  } catch {
    return null;
  }
}

function utf8(text: string | null): Buffer | null {
  return text === null ? null : Buffer.from(text, "utf8");
}
