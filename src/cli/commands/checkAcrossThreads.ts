import type { Worker } from "node:worker_threads";
import { packageWorker } from "../../project/packageWorker.js";
import type { Host } from "../host.js";
import { checkFolderFile, fromMessage, type FolderCheckOptions, type FolderFileResult } from "./checkFolderFile.js";
import type { CheckWorkerData, CheckWorkerReply } from "./checkWorker.js";
import { tierUpLaterForFolderCheck } from "./batchTiering.js";
import { FileQueue } from "./fileQueue.js";

// A folder check on several threads: the main thread and `threads - 1` worker threads take the folder's files from one
// queue, one at a time, so a slow file does not hold up a thread's share. The queue is a counter in shared memory
// (fileQueue.ts): a worker takes its next file itself, without waiting for the main thread, which is busy checking
// files of its own. Each worker loads lavisc and the stdlib once (about a tenth of a second), so a small folder is
// checked on the main thread alone. Results come back in the folder's order: the output is the same with any number
// of threads.

/** Below this many files a folder is checked on one thread: a worker's start-up would cost more than it saves. */
export const MIN_FILES_PER_EXTRA_THREAD = 24;

/**
 * The threads a folder check uses by default: half the cores. One thread already keeps about one and a half cores
 * busy (V8 compiles and collects garbage on background threads: 1.8 CPU-seconds in 1.2 s of the corpus check), and
 * each worker warms up its own compiler; on 2 cores, 2 threads took 1.45 s against 1 thread's 1.2 s
 * (bench/README.md).
 */
export function defaultThreads(cores: number): number {
  return Math.max(1, Math.floor(cores / 2));
}

/** The threads a folder of `files` files is checked on, at most `allowed`. */
export function threadsFor(files: number, allowed: number): number {
  return Math.max(1, Math.min(allowed, Math.floor(files / MIN_FILES_PER_EXTRA_THREAD)));
}

export async function checkAcrossThreads(files: readonly string[], host: Host, o: FolderCheckOptions, threads: number): Promise<FolderFileResult[]> {
  if (files.length >= MIN_FILES_PER_EXTRA_THREAD) tierUpLaterForFolderCheck();
  const results: (FolderFileResult | undefined)[] = new Array(files.length);
  const queue = new FileQueue(files.length);
  const workers = Array.from({ length: Math.max(0, threads - 1) }, () =>
    startWorker({ options: o, stdlibExt: host.stdlibExt, files, queue: queue.shared }),
  );
  const onMain = async () => {
    for (let i = queue.take(); i >= 0; i = queue.take()) {
      results[i] = await checkFolderFile(files[i]!, host, o);
      if (workers.length) await new Promise<void>((r) => setImmediate(r)); // lets the workers' answers in
    }
  };
  await Promise.all([onMain(), ...workers.map((w) => collect(w, results))]);
  // A file a worker could not check (an exception, or the worker died while checking it) is checked here, so a bug
  // surfaces as it would without threads.
  for (let i = 0; i < files.length; i++) results[i] ??= await checkFolderFile(files[i]!, host, o);
  return results as FolderFileResult[];
}

function startWorker(data: CheckWorkerData): Worker {
  return packageWorker("checkWorkerMain", "cli/commands/checkWorker.js", data);
}

/** Keeps `w`'s results until it says it has taken the last file, fails to start, or dies. */
function collect(w: Worker, results: (FolderFileResult | undefined)[]): Promise<void> {
  return new Promise((done) => {
    w.on("message", (m: CheckWorkerReply) => {
      if (m === null) done();
      else if ("result" in m) results[m.index] = fromMessage(m.result);
    });
    w.on("error", () => done());
    w.on("exit", () => done());
  });
}
