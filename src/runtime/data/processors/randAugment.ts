// BLIP's RandomAugment (lavis/processors/randaugment.py): N ops drawn with replacement from a list, each applied
// with probability 0.5 at magnitude M of MAX_LEVEL 10. The ops reproduce the numpy/cv2 versions LAVIS uses
// (byte lookup tables, cv2.warpAffine with bilinear sampling and a grey (128) border).
import { createRgbImage, type RgbImage } from "../rgbImage.js";
import type { Rng } from "../rng.js";

const MAX_LEVEL = 10;
const TRANSLATE_CONST = 10;
const FILL = 128;

export const BLIP_AUGMENTS = [
  "Identity", "AutoContrast", "Brightness", "Sharpness", "Equalize", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate",
] as const;
export type AugmentName = (typeof BLIP_AUGMENTS)[number];

function mapBytes(img: RgbImage, tables: readonly Uint8Array[]): RgbImage {
  const out = createRgbImage(img.width, img.height);
  for (let i = 0; i < img.data.length; i++) out.data[i] = tables[i % 3]![img.data[i]!]!;
  return out;
}

function channelHistograms(img: RgbImage): Float64Array[] {
  const hists = [new Float64Array(256), new Float64Array(256), new Float64Array(256)];
  for (let i = 0; i < img.data.length; i++) hists[i % 3]![img.data[i]!]!++;
  return hists;
}

export function autoContrast(img: RgbImage): RgbImage {
  const tables = [0, 1, 2].map((c) => {
    let lo = 255, hi = 0;
    for (let i = c; i < img.data.length; i += 3) { const v = img.data[i]!; if (v < lo) lo = v; if (v > hi) hi = v; }
    const table = new Uint8Array(256);
    if (hi <= lo) { for (let v = 0; v < 256; v++) table[v] = v; return table; }
    // LAVIS computes `-low * scale` with `low` a numpy uint8, so -low wraps to (256 - low) % 256: any channel whose
    // minimum is above 0 saturates to 255. Known upstream (salesforce/LAVIS#434, fix PR #643 unmerged); kept,
    // since this is what BLIP training actually sees.
    const scale = 255 / (hi - lo), offset = ((256 - lo) % 256) * scale;
    for (let v = 0; v < 256; v++) table[v] = Math.trunc(Math.min(255, Math.max(0, v * scale + offset)));
    return table;
  });
  return mapBytes(img, tables);
}

export function equalize(img: RgbImage): RgbImage {
  const hists = channelHistograms(img);
  const tables = hists.map((hist) => {
    const table = new Uint8Array(256);
    const nonZero = Array.from(hist).filter((h) => h !== 0);
    const step = Math.floor(nonZero.slice(0, -1).reduce((a, b) => a + b, 0) / 255);
    if (step === 0) { for (let v = 0; v < 256; v++) table[v] = v; return table; }
    let cumulative = Math.floor(step / 2);
    for (let v = 0; v < 256; v++) {
      table[v] = Math.min(255, Math.floor(cumulative / step));
      cumulative += hist[v]!;
    }
    return table;
  });
  return mapBytes(img, tables);
}

export function brightness(img: RgbImage, factor: number): RgbImage {
  const table = new Uint8Array(256);
  const f32 = Math.fround(factor); // np.arange(256, dtype=float32) * factor stays float32
  for (let v = 0; v < 256; v++) table[v] = Math.trunc(Math.min(255, Math.max(0, Math.fround(v * f32))));
  return mapBytes(img, [table, table, table]);
}

/** numpy's float → uint8 `astype`: truncate, then wrap modulo 256 (LAVIS's sharpness does not clip first). */
function toUint8Wrapping(v: number): number {
  return ((Math.trunc(v) % 256) + 256) % 256;
}

export function sharpness(img: RgbImage, factor: number): RgbImage {
  if (factor === 1) return img;
  // cv2.filter2D with kernel [[1,1,1],[1,5,1],[1,1,1]]/13, border BORDER_REFLECT_101, result rounded to bytes.
  const { width: w, height: h } = img;
  const reflect = (i: number, n: number): number => (n === 1 ? 0 : i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
  const degenerate = createRgbImage(w, h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) {
    let acc = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const v = img.data[(reflect(y + dy, h) * w + reflect(x + dx, w)) * 3 + c]!;
      acc += dx === 0 && dy === 0 ? 5 * v : v;
    }
    degenerate.data[(y * w + x) * 3 + c] = Math.min(255, Math.round(acc / 13));
  }
  if (factor === 0) return degenerate;
  const out = createRgbImage(w, h, Uint8Array.from(img.data));
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) for (let c = 0; c < 3; c++) {
    const i = (y * w + x) * 3 + c, d = degenerate.data[i]!;
    out.data[i] = toUint8Wrapping(d + factor * (img.data[i]! - d));
  }
  return out;
}

/**
 * cv2.warpAffine(img, M, (W, H), borderValue=fill) with forward matrix M = [a b c; d e f], inverted as cv2 does.
 * Reproduces cv2's fixed point: source coordinates in 1/32 pixel (AB_BITS=10 → INTER_BITS=5) and bilinear
 * weights with 15 fractional bits, so results match OpenCV to the level.
 */
export function warpAffine(img: RgbImage, m: readonly [number, number, number, number, number, number], fill = FILL): RgbImage {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  const inv = det !== 0 ? 1 / det : 0;
  const ia = e * inv, ib = -b * inv, id = -d * inv, ie = a * inv;
  const ic = -ia * c - ib * f, iff = -id * c - ie * f;
  const { width: w, height: h } = img;
  const out = createRgbImage(w, h);
  const src = img.data, dst = out.data;
  const AB_SCALE = 1024, ROUND_DELTA = 16, COEF = 32768;
  const adelta = Int32Array.from({ length: w }, (_, x) => roundHalfEven(ia * x * AB_SCALE));
  const bdelta = Int32Array.from({ length: w }, (_, x) => roundHalfEven(id * x * AB_SCALE));
  for (let y = 0; y < h; y++) {
    const X0 = roundHalfEven((ib * y + ic) * AB_SCALE) + ROUND_DELTA, Y0 = roundHalfEven((ie * y + iff) * AB_SCALE) + ROUND_DELTA;
    for (let x = 0; x < w; x++) {
      const X = (X0 + adelta[x]!) >> 5, Y = (Y0 + bdelta[x]!) >> 5;
      const x0 = X >> 5, y0 = Y >> 5, fx = (X & 31) / 32, fy = (Y & 31) / 32;
      const w00 = Math.round((1 - fx) * (1 - fy) * COEF), w10 = Math.round(fx * (1 - fy) * COEF);
      const w01 = Math.round((1 - fx) * fy * COEF), w11 = COEF - w00 - w10 - Math.round((1 - fx) * fy * COEF);
      const in00 = x0 >= 0 && x0 < w && y0 >= 0 && y0 < h, in10 = x0 + 1 >= 0 && x0 + 1 < w && y0 >= 0 && y0 < h;
      const in01 = x0 >= 0 && x0 < w && y0 + 1 >= 0 && y0 + 1 < h, in11 = x0 + 1 >= 0 && x0 + 1 < w && y0 + 1 >= 0 && y0 + 1 < h;
      const p00 = (y0 * w + x0) * 3, p10 = p00 + 3, p01 = p00 + w * 3, p11 = p01 + 3, o = (y * w + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const v = (in00 ? src[p00 + ch]! : fill) * w00 + (in10 ? src[p10 + ch]! : fill) * w10
          + (in01 ? src[p01 + ch]! : fill) * w01 + (in11 ? src[p11 + ch]! : fill) * w11;
        dst[o + ch] = Math.min(255, Math.max(0, (v + COEF / 2) >> 15));
      }
    }
  }
  return out;
}

/** cvRound: round half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function rotate(img: RgbImage, degrees: number): RgbImage {
  // cv2.getRotationMatrix2D((W/2, H/2), degrees, 1): counter-clockwise for positive angles.
  const cx = img.width / 2, cy = img.height / 2, rad = (degrees * Math.PI) / 180;
  const al = Math.cos(rad), be = Math.sin(rad);
  return warpAffine(img, [al, be, (1 - al) * cx - be * cy, -be, al, be * cx + (1 - al) * cy]);
}

/** Applies one op at `level`, drawing its sign from rng exactly where LAVIS's level_to_args does. */
export function applyAugment(img: RgbImage, name: AugmentName, level: number, rng: Rng): RgbImage {
  const enhance = (level / MAX_LEVEL) * 1.8 + 0.1;
  switch (name) {
    case "Identity": return img;
    case "AutoContrast": return autoContrast(img);
    case "Equalize": return equalize(img);
    case "Brightness": return brightness(img, enhance);
    case "Sharpness": return sharpness(img, enhance);
    case "ShearX": case "ShearY": {
      let s = (level / MAX_LEVEL) * 0.3;
      if (rng.next() > 0.5) s = -s;
      s = Math.fround(s); // LAVIS builds these matrices with np.float32
      return warpAffine(img, name === "ShearX" ? [1, s, 0, 0, 1, 0] : [1, 0, 0, s, 1, 0]);
    }
    case "TranslateX": case "TranslateY": {
      let t = (level / MAX_LEVEL) * TRANSLATE_CONST;
      if (rng.next() > 0.5) t = -t;
      t = Math.fround(t);
      return warpAffine(img, name === "TranslateX" ? [1, 0, -t, 0, 1, 0] : [1, 0, 0, 0, 1, -t]);
    }
    case "Rotate": {
      let deg = (level / MAX_LEVEL) * 30;
      if (rng.next() < 0.5) deg = -deg;
      return rotate(img, deg);
    }
  }
}

/** RandomAugment(n, m).__call__: draw n ops with replacement, then apply each with probability 0.5. */
export function randomAugment(img: RgbImage, rng: Rng, n = 2, m = 5, augs: readonly AugmentName[] = BLIP_AUGMENTS): RgbImage {
  const ops = Array.from({ length: n }, () => augs[Math.floor(rng.next() * augs.length)]!);
  for (const op of ops) {
    if (rng.next() > 0.5) continue;
    img = applyAugment(img, op, m, rng);
  }
  return img;
}
