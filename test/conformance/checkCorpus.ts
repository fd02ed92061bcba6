import { Worker } from "node:worker_threads";
import type { TNode } from "./typedJson.js";

export interface CheckJob {
  /** Absolute path given to checkFile. */
  readonly path: string;
  /** Name used in reports (corpus-relative for corpus files). */
  readonly rel: string;
  /** LAVIS-style `--options`. */
  readonly options?: readonly string[];
}

export interface DiagSummary {
  readonly code: string;
  readonly severity: string;
  readonly path: string | null;
  readonly message: string;
}

export interface FileResult {
  readonly rel: string;
  readonly ms: number;
  /** The stack of an exception checkFile threw (a lavisc bug), else null. */
  readonly crash: string | null;
  readonly diagnostics: readonly DiagSummary[];
  /** `resolved.root` as a typed tree with origins, null when lavisc stopped before resolving. */
  readonly tree: TNode | null;
}

export type WorkerMessage = { kind: "start"; rel: string } | { kind: "done"; result: FileResult };

/** One file may take this long before it counts as a hang (the whole corpus takes seconds). */
export const HANG_MS = 20_000;

/**
 * Checks files with lavisc in a worker thread. Rejects, naming the file, when one file runs longer than `hangMs`
 * (the worker is terminated) or when the worker dies.
 */
export function checkInWorker(jobs: readonly CheckJob[], hangMs = HANG_MS): Promise<FileResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./checkWorker.js", import.meta.url), { workerData: { jobs } });
    const results: FileResult[] = [];
    let current = "(start-up)";
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`lavisc hangs on ${current}: no result after ${hangMs} ms`));
      }, hangMs);
    };
    arm();
    worker.on("message", (m: WorkerMessage) => {
      if (m.kind === "start") {
        current = m.rel;
        arm();
      } else {
        results.push(m.result);
      }
    });
    worker.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`the check worker died on ${current}: ${e.stack ?? e.message}`));
    });
    worker.on("exit", (code) => {
      clearTimeout(timer);
      if (results.length === jobs.length) resolve(results);
      else reject(new Error(`the check worker exited (code ${code}) after ${results.length} of ${jobs.length} files, on ${current}`));
    });
  });
}
