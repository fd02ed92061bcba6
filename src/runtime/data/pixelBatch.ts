// Decodes and processes one batch of images into a single float32 NHWC buffer. Runs on the main thread or inside a
// pixel worker; the output only depends on the job (per-sample seeds), not on where or when it runs.
import type { ProcessorSpec } from "../runSpec.js";
import type { ImageCache } from "./imageCache.js";
import type { RgbImage } from "./rgbImage.js";
import { createImageProcessor, type ImageProcessor } from "./processors/imageProcessors.js";
import { createRng } from "./rng.js";

export interface PixelJob {
  /** The processors this batch uses (one per dataset when datasets are concatenated); all give the same size. */
  readonly processors: readonly ProcessorSpec[];
  readonly paths: readonly string[];
  /** One seed per image, for its random crop/flip/augmentation. */
  readonly seeds: readonly number[];
  /** Per image, an index into `processors` (absent: all use processors[0]). */
  readonly processorOf?: readonly number[];
}

export interface PixelResult {
  readonly pixels: Float32Array;
  readonly size: number;
  /** CPU time spent cropping/augmenting/normalising this batch on the producing thread. */
  readonly busyMs: number;
  /** Wall time spent waiting for image decodes (cache misses; runs on libuv threads, overlapping other work). */
  readonly decodeMs: number;
}

const processors = new Map<string, ImageProcessor>();

function processorFor(spec: ProcessorSpec): ImageProcessor {
  const key = JSON.stringify([spec.name, spec.params]);
  let p = processors.get(key);
  if (!p) { p = createImageProcessor(spec); processors.set(key, p); }
  return p;
}

export interface DecodedJob { readonly job: PixelJob; readonly images: readonly RgbImage[]; readonly decodeMs: number }

/** The asynchronous half: decodes (or fetches from the cache) every image of the job. */
export async function decodeJob(job: PixelJob, cache: ImageCache): Promise<DecodedJob> {
  const decodeStart = performance.now();
  const images = await Promise.all(job.paths.map((p) => cache.get(p)));
  return { job, images, decodeMs: performance.now() - decodeStart };
}

/** The synchronous half: crops, augments and normalises into one NHWC buffer. */
export function processJob({ job, images, decodeMs }: DecodedJob): PixelResult {
  const started = performance.now();
  const processors = job.processors.map(processorFor);
  const size = processors[0]!.size;
  if (processors.some((p) => p.size !== size)) throw new Error(`pixel job mixes output sizes ${processors.map((p) => p.size).join(", ")}`);
  const per = size * size * 3;
  const pixels = new Float32Array(per * images.length);
  images.forEach((img, i) => processors[job.processorOf?.[i] ?? 0]!.processInto(img, createRng(job.seeds[i]!), pixels, i * per));
  return { pixels, size, busyMs: performance.now() - started, decodeMs };
}

export async function buildPixels(job: PixelJob, cache: ImageCache): Promise<PixelResult> {
  return processJob(await decodeJob(job, cache));
}
