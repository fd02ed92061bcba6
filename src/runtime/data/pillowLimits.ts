// What Pillow, which LAVIS decodes every image with (`Image.open(path).convert("RGB")` in its datasets' __getitem__,
// e.g. lavis/datasets/datasets/retrieval_datasets.py RetrievalDataset), refuses and warns about. These are facts of
// PIL, not of LAVIS's configs, so they live here rather than in the stdlib (which declares LAVIS's config keys).

/** PIL.Image.MAX_IMAGE_PIXELS = int(1024 * 1024 * 1024 // 4 // 3) (Pillow's Image.py). */
export const PIL_MAX_IMAGE_PIXELS = Math.floor(1024 * 1024 * 1024 / 4 / 3);

/**
 * Pillow's `_decompression_bomb_check(size)`, called by Image.open on the header's size: above 2 * MAX_IMAGE_PIXELS
 * it raises DecompressionBombError, above MAX_IMAGE_PIXELS it warns (DecompressionBombWarning).
 */
export function pillowBombCheck(width: number, height: number): { readonly level: "refuse" | "warn"; readonly message: string } | null {
  const pixels = width * height;
  if (pixels > 2 * PIL_MAX_IMAGE_PIXELS) {
    return { level: "refuse", message: `declares ${width}x${height} = ${pixels} pixels, above the ${2 * PIL_MAX_IMAGE_PIXELS} (2 × PIL.Image.MAX_IMAGE_PIXELS) that Pillow, and so LAVIS, refuses as a decompression bomb (DecompressionBombError)` };
  }
  if (pixels > PIL_MAX_IMAGE_PIXELS) {
    return { level: "warn", message: `declares ${width}x${height} = ${pixels} pixels, above PIL.Image.MAX_IMAGE_PIXELS (${PIL_MAX_IMAGE_PIXELS}), where Pillow warns of a possible decompression bomb (DecompressionBombWarning); decoding it takes about ${Math.round(pixels * 3 / 1024 ** 2)} MiB` };
  }
  return null;
}
