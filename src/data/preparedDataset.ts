// What a `data prepare` run leaves behind: a dataset folder with images/, annotations/ and a manifest.json that is
// written last, so its presence (with matching parameters) means the folder is complete and can be reused.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

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

/** Clears what an earlier (different or interrupted) preparation left, keeping anything else in the folder. */
export function resetDatasetFolder(root: string): void {
  rmSync(join(root, MANIFEST), { force: true });
  rmSync(join(root, "images"), { recursive: true, force: true });
  rmSync(join(root, "annotations"), { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
}
