// LAVIS's image processors (lavis/processors/blip_processors.py, clip_processors.py) on RGB byte images.
// Output is a normalised float32 HWC image (NHWC batches, unlike LAVIS's CHW; values are the same).
import type { ProcessorSpec } from "../../runSpec.js";
import { crop, flipHorizontal, resizeBicubic } from "../resample.js";
import type { RgbImage } from "../rgbImage.js";
import type { Rng } from "../rng.js";
import { randomAugment } from "./randAugment.js";

export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;

export interface ImageProcessor {
  readonly name: string;
  /** Output side length: every processed image is size x size x 3. */
  readonly size: number;
  /** Writes the processed image into `out` at `offset` (size*size*3 floats). `rng` is only read by train processors. */
  processInto(img: RgbImage, rng: Rng, out: Float32Array, offset: number): void;
}

/** Raised for a processor name or parameter the runtime cannot honour; the caller turns it into a diagnostic. */
export class UnsupportedProcessorError extends Error {}

/** torchvision RandomResizedCrop.get_params: 10 tries at a random area/aspect, then a central fallback crop. */
export function randomResizedCropParams(width: number, height: number, scale: readonly [number, number], rng: Rng,
  ratio: readonly [number, number] = [3 / 4, 4 / 3]): { top: number; left: number; height: number; width: number } {
  const area = width * height;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])] as const;
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logRatio[0], logRatio[1]));
    const w = Math.round(Math.sqrt(targetArea * aspect));
    const h = Math.round(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return { top: rng.int(0, height - h), left: rng.int(0, width - w), height: h, width: w };
    }
  }
  const inRatio = width / height;
  let w = width, h = height;
  if (inRatio < Math.min(...ratio)) h = Math.round(w / Math.min(...ratio));
  else if (inRatio > Math.max(...ratio)) w = Math.round(h * Math.max(...ratio));
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

function randomResizedCrop(img: RgbImage, size: number, scale: readonly [number, number], rng: Rng): RgbImage {
  const p = randomResizedCropParams(img.width, img.height, scale, rng);
  return resizeBicubic(crop(img, p.top, p.left, p.height, p.width), size, size);
}

/** torchvision Resize(int): shorter side to `size`, the other side int(size * long / short) (truncated). */
function resizeShorterSide(img: RgbImage, size: number): RgbImage {
  if (img.width <= img.height) {
    if (img.width === size) return img;
    return resizeBicubic(img, size, Math.trunc((size * img.height) / img.width));
  }
  if (img.height === size) return img;
  return resizeBicubic(img, Math.trunc((size * img.width) / img.height), size);
}

/** torchvision CenterCrop: offsets int(round((H - s) / 2)) (Python rounds half to even). */
function centerCrop(img: RgbImage, size: number): RgbImage {
  const roundHalfEven = (x: number): number => { const r = Math.round(x); return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; };
  return crop(img, roundHalfEven((img.height - size) / 2), roundHalfEven((img.width - size) / 2), size, size);
}

function normaliseInto(img: RgbImage, mean: readonly number[], std: readonly number[], out: Float32Array, offset: number): void {
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) {
    out[offset + i] = (d[i]! / 255 - mean[0]!) / std[0]!;
    out[offset + i + 1] = (d[i + 1]! / 255 - mean[1]!) / std[1]!;
    out[offset + i + 2] = (d[i + 2]! / 255 - mean[2]!) / std[2]!;
  }
}

function numberParam(spec: ProcessorSpec, key: string, fallback: number): number {
  const v = spec.params[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new UnsupportedProcessorError(`${spec.name}.${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function triple(spec: ProcessorSpec, key: string, fallback: readonly number[]): readonly number[] {
  const v = spec.params[key];
  if (v === undefined || v === null) return fallback;
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === "number")) {
    throw new UnsupportedProcessorError(`${spec.name}.${key} must be a list of 3 numbers, got ${JSON.stringify(v)}`);
  }
  return v as number[];
}

/** Builds the processor LAVIS registers under `spec.name`, with LAVIS's defaults for absent parameters. */
export function createImageProcessor(spec: ProcessorSpec): ImageProcessor {
  const mean = triple(spec, "mean", CLIP_MEAN), std = triple(spec, "std", CLIP_STD);
  const make = (size: number, transform: (img: RgbImage, rng: Rng) => RgbImage): ImageProcessor => ({
    name: spec.name,
    size,
    processInto(img, rng, out, offset) {
      const t = transform(img, rng);
      if (t.width !== size || t.height !== size) throw new Error(`${spec.name} produced ${t.width}x${t.height}, expected ${size}x${size}`);
      normaliseInto(t, mean, std, out, offset);
    },
  });
  switch (spec.name) {
    case "blip_image_train": {
      const size = numberParam(spec, "image_size", 384);
      const scale = [numberParam(spec, "min_scale", 0.5), numberParam(spec, "max_scale", 1.0)] as const;
      return make(size, (img, rng) => {
        let t = randomResizedCrop(img, size, scale, rng);
        if (rng.next() < 0.5) t = flipHorizontal(t);
        return randomAugment(t, rng, 2, 5);
      });
    }
    case "blip2_image_train": {
      const size = numberParam(spec, "image_size", 364);
      const scale = [numberParam(spec, "min_scale", 0.5), numberParam(spec, "max_scale", 1.0)] as const;
      return make(size, (img, rng) => {
        const t = randomResizedCrop(img, size, scale, rng);
        return rng.next() < 0.5 ? flipHorizontal(t) : t;
      });
    }
    case "blip_image_eval": {
      const size = numberParam(spec, "image_size", 384);
      return make(size, (img) => (img.width === size && img.height === size ? img : resizeBicubic(img, size, size)));
    }
    case "clip_image_train": {
      const size = numberParam(spec, "image_size", 224);
      const scale = [numberParam(spec, "min_scale", 0.9), numberParam(spec, "max_scale", 1.0)] as const;
      return make(size, (img, rng) => randomResizedCrop(img, size, scale, rng));
    }
    case "clip_image_eval": {
      const size = numberParam(spec, "image_size", 224);
      return make(size, (img) => centerCrop(resizeShorterSide(img, size), size));
    }
    default:
      throw new UnsupportedProcessorError(`image processor "${spec.name}" is not supported by the lavisc runtime`);
  }
}

export const SUPPORTED_IMAGE_PROCESSORS = ["blip_image_train", "blip_image_eval", "blip2_image_train", "clip_image_train", "clip_image_eval"] as const;
