// Decoded images as plain interleaved RGB bytes (HWC), the form every image processor works on.
import sharp from "sharp";

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

/** Decodes any format sharp reads (JPEG, PNG, WebP, ...) to 8-bit RGB, like PIL's `Image.open(p).convert("RGB")`. */
export async function decodeRgbImage(path: string): Promise<RgbImage> {
  const { data, info } = await sharp(path, { failOn: "error" })
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
