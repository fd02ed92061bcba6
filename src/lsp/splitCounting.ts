// The editor's first count of a split's annotation files, off its main thread. annotationStatsCache.ts hands a split
// that is neither remembered nor stored to the deferral set here (deferSplitCounting); it is counted in a worker thread
// (compiler/splitCountWorker.ts), and meanwhile its size is unknown, so the document gets `check`'s diagnostics less
// those that need the size. When the count arrives, `counted` re-checks the open documents. A count that fails stays
// unknown until one of its files changes on disk (it is not retried in a loop). A file that changes on disk (the
// server's watcher) has its counts forgotten, in the process and in the cache folder, so it is counted again.
import { packageWorker } from "../project/packageWorker.js";
import { acceptSplitStats, deferSplitCounting, forgetSplitStatsOf } from "../compiler/annotationStatsCache.js";
import type { SplitCountResult } from "../compiler/splitCountWorker.js";

/**
 * Starts counting in the background; the function it returns forgets the counts of the splits that read a file that
 * changed (a count that failed is tried again after its file changes).
 */
export function countSplitsInBackground(counted: () => void, log: { info(message: string): void; error(message: string): void }): (changed: (path: string) => boolean) => void {
  const started = new Set<string>();
  deferSplitCounting((paths) => {
    const key = paths.join("\0");
    if (started.has(key)) return;
    started.add(key);
    let result: SplitCountResult | null = null;
    log.info(`lavisc: counting the records of ${paths.join(", ")} in the background; the checks that need the split's size follow`);
    const worker = packageWorker("splitCountWorkerMain", "compiler/splitCountWorker.js", { paths });
    worker.once("message", (m: SplitCountResult) => (result = m));
    worker.once("error", (e) => log.error(`lavisc: counting the records of ${paths.join(", ")} failed: ${e.message}`));
    worker.once("exit", () => {
      if (!result) return; // failed (logged): unknown from now on
      // A null key: the files changed while they were read; the re-check hands their new version over again.
      if (result.key) acceptSplitStats(result.key, result.stats);
      started.delete(key);
      counted();
    });
  });
  return (changed) => {
    forgetSplitStatsOf(changed);
    for (const key of [...started]) if (key.split("\0").some(changed)) started.delete(key);
  };
}
