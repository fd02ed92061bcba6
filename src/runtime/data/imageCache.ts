// Decoded images kept in memory (the datasets here are small), so later epochs only pay for augmentation.
// One cache per thread: the main thread and each pixel worker hold their own.
import { DataError } from "./dataError.js";
import { decodeRgbImage, type RgbImage } from "./rgbImage.js";

export class ImageCache {
  private readonly entries = new Map<string, Promise<RgbImage>>();
  private bytes = 0;
  /** @param maxBytes beyond this, images are decoded on every use instead of kept. */
  constructor(private readonly maxBytes = 4 * 1024 ** 3) {}

  get size(): number { return this.entries.size; }
  get cachedBytes(): number { return this.bytes; }

  get(path: string): Promise<RgbImage> {
    const hit = this.entries.get(path);
    if (hit) return hit;
    const pending = decodeRgbImage(path).catch((e: Error) => {
      this.entries.delete(path);
      throw new DataError("unreadable-image", `cannot read image ${path} (${e.message}); replace the file with a readable image, or remove its records from the annotation file`, path);
    });
    if (this.bytes < this.maxBytes) {
      this.entries.set(path, pending);
      void pending.then((img) => { this.bytes += img.data.length; }, () => undefined);
    }
    return pending;
  }
}
