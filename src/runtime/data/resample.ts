// Bicubic resampling with Pillow's semantics (a = -0.5, filter support widened when shrinking, i.e. antialiased),
// which is what torchvision's Resize/RandomResizedCrop do on PIL images in LAVIS's processors. Uses Pillow's
// 8-bit fixed point (22 fractional bits, horizontal pass then vertical, rounding to bytes between), so output
// matches Pillow exactly.
import { createRgbImage, type RgbImage } from "./rgbImage.js";

/** Source rectangle in pixel coordinates (may be fractional), like PIL's `box` argument. */
export interface Box { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number }

function bicubic(x: number): number {
  const a = -0.5;
  x = Math.abs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

interface Taps { readonly start: Int32Array; readonly count: Int32Array; readonly weights: Int32Array; readonly stride: number }

const PRECISION_BITS = 22;
const HALF = 1 << (PRECISION_BITS - 1);

/** Per output pixel: first source index, number of taps and normalised weights (Pillow's precompute_coeffs). */
function computeTaps(inSize: number, outSize: number, lo: number, hi: number): Taps {
  const scale = (hi - lo) / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const stride = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize), count = new Int32Array(outSize), weights = new Int32Array(outSize * stride);
  const raw = new Float64Array(stride);
  for (let o = 0; o < outSize; o++) {
    const center = lo + (o + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let j = 0; j < xmax; j++) {
      raw[j] = bicubic((j + xmin - center + 0.5) / filterScale);
      total += raw[j]!;
    }
    for (let j = 0; j < xmax; j++) {
      const v = total !== 0 ? raw[j]! / total : raw[j]!;
      weights[o * stride + j] = Math.trunc(v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
    }
    start[o] = xmin;
    count[o] = Math.max(xmax, 0);
  }
  return { start, count, weights, stride };
}

/** Pillow's clip8: fixed-point sum (with its rounding half already added) to a byte. */
const clip8 = (ss: number): number => { const v = Math.floor(ss / (1 << PRECISION_BITS)); return v <= 0 ? 0 : v >= 255 ? 255 : v; };

/** Resamples `box` of `src` to outWidth x outHeight (horizontal pass, then vertical, rounding to bytes between like Pillow). */
export function resizeBicubic(src: RgbImage, outWidth: number, outHeight: number, box?: Box): RgbImage {
  const b = box ?? { x0: 0, y0: 0, x1: src.width, y1: src.height };
  const horiz = computeTaps(src.width, outWidth, b.x0, b.x1);
  const vert = computeTaps(src.height, outHeight, b.y0, b.y1);
  // Only the source rows the vertical pass reads need a horizontal pass.
  const rowLo = vert.start[0]!;
  const rowHi = vert.start[outHeight - 1]! + vert.count[outHeight - 1]!;
  const mid = new Uint8Array((rowHi - rowLo) * outWidth * 3);
  const s = src.data;
  for (let y = rowLo; y < rowHi; y++) {
    const inRow = y * src.width * 3, outRow = (y - rowLo) * outWidth * 3;
    for (let x = 0; x < outWidth; x++) {
      let r = HALF, g = HALF, bl = HALF;
      const x0 = horiz.start[x]!, n = horiz.count[x]!, wBase = x * horiz.stride;
      for (let k = 0; k < n; k++) {
        const w = horiz.weights[wBase + k]!, p = inRow + (x0 + k) * 3;
        r += s[p]! * w; g += s[p + 1]! * w; bl += s[p + 2]! * w;
      }
      mid[outRow + x * 3] = clip8(r); mid[outRow + x * 3 + 1] = clip8(g); mid[outRow + x * 3 + 2] = clip8(bl);
    }
  }
  const out = createRgbImage(outWidth, outHeight);
  const rowBytes = outWidth * 3;
  const acc = new Float64Array(rowBytes);
  for (let y = 0; y < outHeight; y++) {
    const y0 = vert.start[y]! - rowLo, n = vert.count[y]!, wBase = y * vert.stride;
    acc.fill(HALF);
    // Row-at-a-time accumulation keeps memory access sequential.
    for (let k = 0; k < n; k++) {
      const w = vert.weights[wBase + k]!, base = (y0 + k) * rowBytes;
      for (let i = 0; i < rowBytes; i++) acc[i] += mid[base + i]! * w;
    }
    const outBase = y * rowBytes;
    for (let i = 0; i < rowBytes; i++) out.data[outBase + i] = clip8(acc[i]!);
  }
  return out;
}

/** Integer crop (torchvision F.crop on a PIL image; the box is assumed inside the image). */
export function crop(src: RgbImage, top: number, left: number, height: number, width: number): RgbImage {
  const out = createRgbImage(width, height);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * src.width + left) * 3;
    out.data.set(src.data.subarray(from, from + width * 3), y * width * 3);
  }
  return out;
}

export function flipHorizontal(src: RgbImage): RgbImage {
  const out = createRgbImage(src.width, src.height);
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      const a = (y * src.width + x) * 3, b = (y * src.width + (src.width - 1 - x)) * 3;
      out.data[b] = src.data[a]!; out.data[b + 1] = src.data[a + 1]!; out.data[b + 2] = src.data[a + 2]!;
    }
  }
  return out;
}
