// What a run that stopped on a fault of the machine or of the data (full disk, read-only or vanished output folder,
// an image that cannot be read) tells the user: the error, how much room the next checkpoint needs, and the last good
// checkpoint to resume from (only if it is still complete on disk).
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { byteSize, StorageError } from "../../storage/index.js";
import { loadCheckpointMeta } from "./checkpoint.js";

export interface RunFault {
  readonly message: string;
  /** The last complete checkpoint, to resume from; null when there is none. */
  readonly resumePath: string | null;
}

/** The fault a run reports for `e`, or null when `e` is not a user-facing fault (then it is a bug). */
export function runFault(e: unknown, lastCheckpoint: string | null): RunFault | null {
  if (!(e instanceof StorageError) && !(e instanceof Error && e.name === "DataError")) return null;
  const last = lastCheckpoint ? committedCheckpoint(lastCheckpoint) : null;
  let message = (e as Error).message;
  if (e instanceof StorageError && e.fault === "disk-full" && last) message += `; the next checkpoint needs about ${byteSize(last.bytes)}`;
  if (last) message += `. The last good checkpoint ${last.path} is intact`;
  return { message, resumePath: last?.path ?? null };
}

/** A checkpoint whose JSON and weights are both still there (without re-reading the weights), with their size. */
function committedCheckpoint(jsonPath: string): { path: string; bytes: number } | null {
  const meta = loadCheckpointMeta(jsonPath);
  if (typeof meta === "string") return null;
  try {
    return { path: jsonPath, bytes: statSync(join(dirname(jsonPath), meta.weights)).size + statSync(jsonPath).size };
  } catch {
    return null;
  }
}
