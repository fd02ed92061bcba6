// A built-in dataset's folder while lavisc writes it. Nothing the user wrote is lost: every file is recorded in the
// folder's marker (.lavisc-dataset) before it is written, and the manifest.json written last lists them all, so
// preparing the folder again removes exactly the files lavisc wrote. A file in images/ or annotations/ that lavisc did
// not write (or a manifest.json that is not lavisc's) stops the preparation before anything is removed, named in the
// error; `force` prepares anyway and keeps them (one at a path the dataset writes is replaced).
import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DataError } from "../runtime/data/dataError.js";
import { MANIFEST, PREPARED_MARKER, readLaviscManifest } from "./preparedDataset.js";

/** The folders a preparation writes into, relative to the dataset folder. */
const WRITTEN_FOLDERS = ["images", "annotations"] as const;
const MARKER_HEADER = "Written by `lavisc data prepare`. The files listed below (written so far) are lavisc's to replace; nothing else in this folder is.\n";
/** How many unknown files an error names; the rest are counted. */
const NAMED_FILES = 5;

export interface PrepareWriteOptions {
  /** Prepare even when images/ or annotations/ hold files lavisc did not write (`data prepare --force`). */
  readonly force?: boolean;
}

export class DatasetFolder {
  private constructor(readonly root: string) {}

  /**
   * Removes what an earlier (different or interrupted) preparation wrote and starts the marker again, after making
   * sure nothing else is in the way (else DataError "refused-write", unless `force`).
   */
  static reset(root: string, force = false): DatasetFolder {
    const ours = filesLaviscWrote(root);
    const unknown = unknownFiles(root, ours);
    if (unknown.length && !force) throw new DataError("refused-write", refusal(root, unknown), root);
    for (const rel of ours) rmSync(join(root, rel), { force: true });
    rmSync(join(root, MANIFEST), { force: true });
    for (const folder of WRITTEN_FOLDERS) removeEmptyFolders(join(root, folder));
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, PREPARED_MARKER), MARKER_HEADER);
    return new DatasetFolder(root);
  }

  /** Writes `rel` (relative to the folder), recorded in the marker first so an interrupted preparation is still known. */
  write(rel: string, bytes: Uint8Array | string): void {
    appendFileSync(join(this.root, PREPARED_MARKER), `${rel}\n`);
    mkdirSync(dirname(join(this.root, rel)), { recursive: true });
    writeFileSync(join(this.root, rel), bytes);
  }

  /** Stable JSON (keys in insertion order, 2-space indent, trailing newline), so equal inputs give equal bytes. */
  writeJson(rel: string, value: unknown): void {
    this.write(rel, JSON.stringify(value, null, 2) + "\n");
  }
}

/**
 * The files lavisc wrote in the folder (relative): those its manifest lists and those its marker recorded, kept to
 * paths inside images/ and annotations/ (a hand-edited list never removes anything elsewhere).
 */
function filesLaviscWrote(root: string): Set<string> {
  const listed = [...(readLaviscManifest(root)?.files ?? [])];
  const marker = join(root, PREPARED_MARKER);
  if (existsSync(marker)) listed.push(...readFileSync(marker, "utf8").split("\n").slice(1));
  return new Set(listed.filter(insideWrittenFolders));
}

function insideWrittenFolders(rel: unknown): rel is string {
  if (typeof rel !== "string") return false;
  const parts = rel.split("/");
  return parts.length > 1 && (WRITTEN_FOLDERS as readonly string[]).includes(parts[0]!) && parts.every((p) => p !== "" && p !== "." && p !== ".." && !p.includes("\\"));
}

/** Files in images/ and annotations/ that lavisc did not write, and manifest.json when it is not lavisc's. */
function unknownFiles(root: string, ours: ReadonlySet<string>): string[] {
  const foreignManifest = existsSync(join(root, MANIFEST)) && !readLaviscManifest(root) ? [MANIFEST] : [];
  return [...foreignManifest, ...WRITTEN_FOLDERS.flatMap((folder) => filesUnder(root, folder)).filter((rel) => !ours.has(rel))];
}

/** Every non-folder entry under `root/rel`, relative to `root`, sorted. */
function filesUnder(root: string, rel: string): string[] {
  const path = join(root, rel);
  if (!existsSync(path)) return [];
  if (!lstatSync(path).isDirectory()) return [rel];
  return readdirSync(path).sort().flatMap((name) => filesUnder(root, `${rel}/${name}`));
}

/** Removes `path` and the folders below it when they hold no files (deepest first); a folder with a file stays. */
function removeEmptyFolders(path: string): void {
  if (!existsSync(path) || !lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) removeEmptyFolders(join(path, name));
  if (readdirSync(path).length === 0) rmdirSync(path);
}

function refusal(root: string, unknown: readonly string[]): string {
  const named = unknown.slice(0, NAMED_FILES).join(", ") + (unknown.length > NAMED_FILES ? ` and ${unknown.length - NAMED_FILES} more` : "");
  return `${root} holds ${unknown.length === 1 ? "a file" : `${unknown.length} files`} that lavisc did not write (${named}); ` +
    "preparing the dataset there again would mix them with its own files: move them away, prepare it under another data root, " +
    "or pass --force to prepare it anyway (they are kept; one at a path the dataset writes is replaced)";
}
