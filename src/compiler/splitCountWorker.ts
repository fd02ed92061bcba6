// A thread that counts one split's annotation files for the language server (annotationStatsCache.ts's
// deferSplitCounting): COCO's 78 MB caption file takes most of a second to scan, which the editor's main thread must
// not spend. It counts in place (deferral is per thread), stores the count in lavisc's cache folder as any count is,
// and posts it back under the key of the file versions it read.
import { parentPort, workerData } from "node:worker_threads";
import { countedSplitStats } from "./annotationStats.js";
import { splitStatsKey } from "./annotationStatsCache.js";

export interface SplitCountRequest {
  readonly paths: readonly string[];
}

export interface SplitCountResult {
  readonly key: string | null;
  readonly stats: ReturnType<typeof countedSplitStats>;
}

export function splitCountWorkerMain(): void {
  const port = parentPort;
  if (!port) throw new Error("splitCountWorkerMain runs in a worker thread");
  const { paths } = workerData as SplitCountRequest;
  const key = splitStatsKey(paths);
  const stats = countedSplitStats(paths);
  // Files changed while they were read: the key no longer matches, and the next analysis counts them again.
  port.postMessage({ key: key === splitStatsKey(paths) ? key : null, stats } satisfies SplitCountResult);
}
