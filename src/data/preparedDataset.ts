// What a `data prepare` run leaves behind: a dataset folder with images/, annotations/ and a manifest.json that is
// written last, so its presence (with matching parameters) means the folder is complete and can be reused.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DataError } from "../runtime/data/dataError.js";

/** Annotation files per format and split, relative to the dataset folder, in LAVIS `storage` order. */
export type AnnotationLayout = Record<string, Record<string, string[]>>;

export interface DatasetManifest {
  readonly name: string;
  /** Bumped whenever the generator's output changes, so old folders are rebuilt. */
  readonly generatorVersion: number;
  readonly params: Record<string, unknown>;
  /** Relative to the dataset folder: the LAVIS `images.storage`. */
  readonly images: string;
  readonly annotations: AnnotationLayout;
  readonly classnames: readonly string[];
  readonly counts: Record<string, number>;
  /** Every file written, relative to the dataset folder. */
  readonly files: readonly string[];
}

export interface PreparedDataset {
  /** The dataset folder (e.g. <root>/shapes). */
  readonly root: string;
  /** Absolute paths of the annotation files. */
  readonly files: readonly string[];
  readonly manifest: DatasetManifest;
  /** False when an existing folder with the same parameters was reused. */
  readonly created: boolean;
}

export const MANIFEST = "manifest.json";
/** Written into a dataset folder before anything else, so an interrupted preparation is still known as lavisc's. */
export const PREPARED_MARKER = ".lavisc-dataset";

/** Stable JSON (keys in insertion order, 2-space indent, trailing newline) so equal inputs give equal bytes. */
export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
}

export function annotationFiles(root: string, m: DatasetManifest): string[] {
  return [...new Set(Object.values(m.annotations).flatMap((bySplit) => Object.values(bySplit).flat()))].map((f) => join(root, f));
}

/** The existing manifest if the folder was prepared with the same generator version and parameters. */
export function reusable(root: string, name: string, version: number, params: Record<string, unknown>): DatasetManifest | null {
  const path = join(root, MANIFEST);
  if (!existsSync(path)) return null;
  try {
    const m = JSON.parse(readFileSync(path, "utf8")) as DatasetManifest;
    if (m.name !== name || m.generatorVersion !== version || JSON.stringify(m.params) !== JSON.stringify(params)) return null;
    return m.files.every((f) => existsSync(join(root, f))) ? m : null;
  } catch {
    return null;
  }
}

/**
 * Nothing the user wrote is lost: the folder's manifest.json, images/ and annotations/ are cleared only when lavisc
 * wrote them, i.e. the folder holds lavisc's marker (written first), or a manifest lavisc wrote (folders prepared
 * before the marker existed), or none of the three.
 */
function foreignDatasetFiles(root: string): string[] {
  if (existsSync(join(root, PREPARED_MARKER)) || isLaviscManifest(join(root, MANIFEST))) return [];
  return [MANIFEST, "images/", "annotations/"].filter((f) => existsSync(join(root, f)));
}

function isLaviscManifest(path: string): boolean {
  try {
    const m = JSON.parse(readFileSync(path, "utf8")) as Partial<DatasetManifest>;
    return typeof m.name === "string" && typeof m.generatorVersion === "number" && Array.isArray(m.files);
  } catch {
    return false;
  }
}

/** Clears what an earlier (different or interrupted) preparation left, keeping anything else in the folder. */
export function resetDatasetFolder(root: string): void {
  const foreign = foreignDatasetFiles(root);
  if (foreign.length) {
    throw new DataError("refused-write", `${root} holds ${foreign.join(", ")} that lavisc did not write; preparing the dataset there would replace them: move them away or prepare it under another data root`, root);
  }
  rmSync(join(root, MANIFEST), { force: true });
  rmSync(join(root, "images"), { recursive: true, force: true });
  rmSync(join(root, "annotations"), { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, PREPARED_MARKER), "Written by `lavisc data prepare`: this folder's manifest.json, images/ and annotations/ are lavisc's to replace.\n");
}
