// Hands pixel jobs to worker threads (or builds them in-process when asked for 0 workers). Workers are shared by
// every loader in the process, so their image caches survive from one epoch's loader to the next.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { packageRoot } from "../../project/paths.js";
import { DataError, type DataErrorCode } from "./dataError.js";
import { ImageCache } from "./imageCache.js";
import { decodeJob, processJob, type PixelJob, type PixelResult } from "./pixelBatch.js";

/** Finishes a prefetched batch: instant for worker results; on the main thread this is where processing runs. */
export type PixelThunk = () => PixelResult;

export interface PixelBuilder {
  /** Starts a job; resolves once the batch can be finished without further waiting. */
  build(job: PixelJob): Promise<PixelThunk>;
}

type Reply = { id: number; result?: PixelResult; error?: { message: string; code?: DataErrorCode; path?: string } };

class WorkerPool implements PixelBuilder {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: PixelResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private inFlight = 0;
  private dead: Error | null = null;

  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      const w = new Worker(workerFile());
      w.on("message", (m: Reply) => this.settle(m));
      w.on("error", (e) => this.failAll(e));
      w.on("exit", (code) => this.failAll(new Error(`pixel worker exited (code ${code})`)));
      w.unref(); // idle workers must not keep the process alive
      this.workers.push(w);
    }
  }

  get size(): number { return this.workers.length; }

  build(job: PixelJob): Promise<PixelThunk> {
    return this.run(job).then((result) => () => result);
  }

  private run(job: PixelJob): Promise<PixelResult> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.inFlight++ === 0) for (const w of this.workers) w.ref();
      worker.postMessage({ id, job });
    });
  }

  private settle(m: Reply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    // Idle workers let a finished process exit, but not while they are being shut down (terminate() waits for them).
    if (--this.inFlight === 0 && !this.dead) for (const w of this.workers) w.unref();
    if (m.result) p.resolve(m.result);
    else p.reject(m.error?.code ? new DataError(m.error.code, m.error.message, m.error.path) : new Error(m.error?.message ?? "pixel worker failed"));
  }

  private failAll(e: Error): void {
    // A dead worker drops messages silently; fail now and later instead of hanging.
    this.dead ??= e;
    if (shared === this) shared = null;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.inFlight = 0;
  }

  async terminate(): Promise<void> {
    this.dead ??= new Error("pixel workers were shut down");
    // An unref'd worker does not keep the event loop alive while it exits: with nothing else pending, the process
    // would end with terminate()'s promise unsettled and its caller's code after it never run.
    for (const w of this.workers) w.ref();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const mainThreadCache = new ImageCache();
// Main thread: decoding (libuv threads) runs ahead; the CPU work runs when the consumer takes the batch, since it
// could not overlap with the model on the same thread anyway, and so it is counted in the consumer's data time.
const inProcess: PixelBuilder = { build: (job) => decodeJob(job, mainThreadCache).then((decoded) => () => processJob(decoded)) };
let shared: WorkerPool | null = null;

/** A builder with `workers` threads (0: build on the main thread). The pool is created once and reused. */
export function pixelBuilder(workers: number): PixelBuilder {
  if (workers <= 0) return inProcess;
  if (!shared || shared.size !== workers) {
    void shared?.terminate();
    shared = new WorkerPool(workers);
  }
  return shared;
}

/** Stops the shared workers (tests, or a CLI that wants to exit promptly). */
export async function shutdownPixelWorkers(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.terminate();
}

/**
 * The worker's compiled file. Found from the package root rather than from this module's URL: the CLI runs a bundled
 * copy of this module (dist/bundle), next to which there is no pixelWorker.js.
 */
function workerFile(): string {
  return join(packageRoot(), "dist", "src", "runtime", "data", "pixelWorker.js");
}
