// What a `data prepare` run leaves behind: a dataset folder with images/, annotations/ and a manifest.json that is
// written last, so its presence (with matching parameters) means the folder is complete and can be reused.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

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
/** Written into a dataset folder before anything else, listing each file before it is written (datasetFolder.ts). */
export const PREPARED_MARKER = ".lavisc-dataset";

export function annotationFiles(root: string, m: DatasetManifest): string[] {
  return [...new Set(Object.values(m.annotations).flatMap((bySplit) => Object.values(bySplit).flat()))].map((f) => join(root, f));
}

/** The existing manifest if the folder was prepared with the same generator version and parameters. */
export function reusable(root: string, name: string, version: number, params: Record<string, unknown>): DatasetManifest | null {
  const m = readLaviscManifest(root);
  if (!m || m.name !== name || m.generatorVersion !== version || JSON.stringify(m.params) !== JSON.stringify(params)) return null;
  return m.files.every((f) => existsSync(join(root, f))) ? m : null;
}

/** The folder's manifest when lavisc wrote it (whatever its generator version and parameters), else null. */
export function readLaviscManifest(root: string): DatasetManifest | null {
  try {
    const m = JSON.parse(readFileSync(join(root, MANIFEST), "utf8")) as Partial<DatasetManifest>;
    const ours = typeof m.name === "string" && typeof m.generatorVersion === "number" && Array.isArray(m.files) && typeof m.params === "object" && m.params !== null;
    return ours ? (m as DatasetManifest) : null;
  } catch {
    return null;
  }
}
