// Worker-thread entry: builds pixel batches off the main thread so augmentation overlaps with model compute.
import { parentPort } from "node:worker_threads";
import { DataError } from "./dataError.js";
import { ImageCache } from "./imageCache.js";
import { buildPixels, type PixelJob } from "./pixelBatch.js";

const cache = new ImageCache();

parentPort!.on("message", (msg: { id: number; job: PixelJob }) => {
  buildPixels(msg.job, cache).then(
    (result) => parentPort!.postMessage({ id: msg.id, result }, [result.pixels.buffer as ArrayBuffer]),
    (e: Error) => parentPort!.postMessage({ id: msg.id, error: { message: e.message, code: e instanceof DataError ? e.code : undefined, path: e instanceof DataError ? e.path : undefined } }),
  );
});
