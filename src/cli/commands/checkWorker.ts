import { parentPort, workerData } from "node:worker_threads";
import { nodeHost, snapshotHost } from "../host.js";
import { checkFolderFile, toMessage, type FolderCheckOptions } from "./checkFolderFile.js";
import { FileQueue } from "./fileQueue.js";

// A worker thread of a parallel folder check (checkAcrossThreads.ts): it loads the stdlib once, then takes files from
// the shared queue until it is empty, sending each result as it has it, and `null` at the end. A file whose check
// throws gets no result: the main thread checks it again itself, so a bug surfaces there as it would without threads.

export interface CheckWorkerData {
  readonly options: FolderCheckOptions;
  readonly stdlibExt?: string;
  readonly files: readonly string[];
  /** FileQueue.shared of the main thread's queue. */
  readonly queue: SharedArrayBuffer;
}

export type CheckWorkerReply = { readonly index: number; readonly result: ReturnType<typeof toMessage> } | null;

export async function checkWorkerMain(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("checkWorkerMain runs in a worker thread");
  const data = workerData as CheckWorkerData;
  const base = nodeHost();
  const host = snapshotHost(data.stdlibExt ? Object.assign(Object.create(base), { stdlibExt: data.stdlibExt }) : base);
  const queue = new FileQueue(data.files.length, data.queue);
  for (let i = queue.take(); i >= 0; i = queue.take()) {
    try {
      port.postMessage({ index: i, result: toMessage(await checkFolderFile(data.files[i]!, host, data.options)) } satisfies CheckWorkerReply);
    } catch {
      // left to the main thread (above)
    }
  }
  port.postMessage(null satisfies CheckWorkerReply);
}
