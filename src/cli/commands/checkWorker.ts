import { parentPort, workerData } from "node:worker_threads";
import { nodeHost, snapshotHost } from "../host.js";
import { checkFolderFile, toMessage, type FolderCheckOptions } from "./checkFolderFile.js";

// A worker thread of a parallel folder check (checkAcrossThreads.ts): it loads the stdlib once, then checks the
// files the main thread sends, one message each, and answers each with its result. An exception is sent back as
// `failed`: the main thread checks that file itself, so a bug surfaces there as it would without threads.

export interface CheckWorkerData {
  readonly options: FolderCheckOptions;
  readonly stdlibExt?: string;
}

export type CheckWorkerRequest = { readonly index: number; readonly path: string } | null;
export type CheckWorkerReply =
  | { readonly index: number; readonly result: ReturnType<typeof toMessage> }
  | { readonly index: number; readonly failed: string };

export function checkWorkerMain(): void {
  const port = parentPort;
  if (!port) throw new Error("checkWorkerMain runs in a worker thread");
  const data = workerData as CheckWorkerData;
  const base = nodeHost();
  const host = snapshotHost(data.stdlibExt ? Object.assign(Object.create(base), { stdlibExt: data.stdlibExt }) : base);
  port.on("message", async (m: CheckWorkerRequest) => {
    if (m === null) return port.close();
    let reply: CheckWorkerReply;
    try {
      reply = { index: m.index, result: toMessage(await checkFolderFile(m.path, host, data.options)) };
    } catch (e) {
      reply = { index: m.index, failed: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
}
