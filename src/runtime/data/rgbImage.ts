// Decoded images as plain interleaved RGB bytes (HWC), the form every image processor works on.
import sharp from "sharp";
import { pillowBombCheck, PIL_MAX_IMAGE_PIXELS } from "./pillowLimits.js";
import { readRegularFile } from "./regularFile.js";

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** width * height * 3 bytes, row-major, RGB interleaved. */
  readonly data: Uint8Array;
}

export function createRgbImage(width: number, height: number, data?: Uint8Array): RgbImage {
  const size = width * height * 3;
  if (data && data.length !== size) throw new Error(`RGB buffer has ${data.length} bytes, expected ${size}`);
  return { width, height, data: data ?? new Uint8Array(size) };
}

/**
 * sharp's own pixel limit, set to what Pillow accepts (a second guard behind the header check), and the embedded ICC
 * profile ignored: Pillow's `convert("RGB")` never reads it (a Display P3 or Adobe RGB image gives its stored samples),
 * where sharp would convert through it to sRGB.
 */
const SHARP_OPTIONS = { failOn: "error", limitInputPixels: 2 * PIL_MAX_IMAGE_PIXELS, ignoreIcc: true } as const;

/**
 * Decodes any format sharp reads (JPEG, PNG, WebP, ...) to 8-bit RGB, like PIL's `Image.open(p).convert("RGB")`:
 * only a regular file is opened (a FIFO would block a thread for good), an image whose header declares more pixels
 * than Pillow accepts is refused before it is decoded, an embedded ICC profile is ignored, CMYK converts with Pillow's
 * formula (see cmykToRgb) and 16-bit grey is clamped as Pillow clamps it (see decodeGrey16).
 */
export async function decodeRgbImage(path: string): Promise<RgbImage> {
  const bytes = await readRegularFile(path);
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata(); // the header only, to name the size
  const bomb = meta.width && meta.height ? pillowBombCheck(meta.width, meta.height) : null;
  if (bomb?.level === "refuse") throw new Error(`the image ${bomb.message}`);
  if (meta.space === "cmyk") return decodeCmyk(bytes);
  if (meta.depth === "ushort" && meta.channels === 1) return decodeGrey16(bytes);
  const { data, info } = await sharp(bytes, SHARP_OPTIONS)
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return createRgbImage(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.length));
  // Grey input can come back single-channel; replicate it as convert("RGB") does.
  const rgb = new Uint8Array(info.width * info.height * 3);
  for (let p = 0, n = info.width * info.height; p < n; p++) {
    const v = data[p * info.channels]!;
    rgb[p * 3] = v; rgb[p * 3 + 1] = v; rgb[p * 3 + 2] = v;
  }
  return createRgbImage(info.width, info.height, rgb);
}

/**
 * 16-bit grey (PNG, TIFF) as Pillow converts it: opened as mode "I" or "I;16", whose conversion to RGB clamps each
 * sample at 255 (libImaging/Convert.c: i2rgb, I16_RGB) rather than scaling it to 8 bits as sharp would.
 */
async function decodeGrey16(bytes: Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(bytes, SHARP_OPTIONS)
    .pipelineColourspace("grey16")
    .toColourspace("grey16")
    .raw({ depth: "ushort" })
    .toBuffer({ resolveWithObject: true });
  const samples = new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
  const rgb = new Uint8Array(info.width * info.height * 3);
  for (let p = 0, n = info.width * info.height; p < n; p++) rgb.fill(Math.min(samples[p]!, 255), p * 3, p * 3 + 3);
  return createRgbImage(info.width, info.height, rgb);
}

/**
 * CMYK as Pillow converts it. sharp would convert through an ICC profile (another colour); kept in the CMYK pipeline
 * it hands back the decoded samples untouched. libjpeg/libvips undo the inversion of Adobe (APP14) JPEGs as Pillow's
 * "CMYK;I" raw mode does, so both see the same samples.
 */
async function decodeCmyk(bytes: Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(bytes, SHARP_OPTIONS)
    .pipelineColourspace("cmyk")
    .toColourspace("cmyk")
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels < 4) throw new Error(`a CMYK image decoded to ${info.channels} channels`);
  return createRgbImage(info.width, info.height, cmykToRgb(data, info.channels, info.width * info.height));
}

/** Pillow's cmyk2rgb (libImaging/Convert.c): nk = 255 - k, each of c, m, y → nk - MULDIV255(v, nk). */
export function cmykToRgb(cmyk: Uint8Array, channels: number, pixels: number): Uint8Array {
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const nk = 255 - cmyk[p * channels + 3]!;
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = nk - mulDiv255(cmyk[p * channels + c]!, nk);
  }
  return rgb;
}

/** Pillow's MULDIV255(a, b): a * b / 255, rounded, in integers. */
function mulDiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}
