// A problem with the user's data (missing or malformed file, failed download, checksum mismatch): reported to the
// user as a finding, never treated as an internal bug.

export type DataErrorCode =
  | "missing-file"
  | "malformed-annotation"
  | "download-failed"
  | "checksum-mismatch"
  | "unreadable-image"
  | "unsupported"
  /** A config asked lavisc to write outside the storage it owns. */
  | "refused-write"
  /** A download lavisc will not make as asked (plain http without --allow-http). */
  | "refused-download"
  /** A built-in dataset folder written by another version of its generator: a run uses it only once prepared again. */
  | "stale-dataset"
  /** An evaluation split where some items have no prediction or no references. */
  | "incomplete-evaluation";

export class DataError extends Error {
  constructor(readonly code: DataErrorCode, message: string, readonly path?: string) {
    super(message);
    this.name = "DataError";
  }
}
