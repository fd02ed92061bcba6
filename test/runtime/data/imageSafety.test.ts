// Images lavisc must not open (named pipes, folders), headers that declare more pixels than Pillow accepts, and CMYK
// converted as Pillow converts it (fixtures/makeCmykGoldens.py writes fixtures/cmykGoldens.json), embedded ICC
// profiles ignored and 16-bit PNGs narrowed as Pillow does (fixtures/makeIccGoldens.py writes fixtures/iccGoldens.json).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { decodeRgbImage } from "../../../src/runtime/data/rgbImage.js";
import { ImageCache } from "../../../src/runtime/data/imageCache.js";
import { preflightData } from "../../../src/runtime/data/preflight.js";
import { ensureAnnotationFile } from "../../../src/runtime/data/cache.js";
import { PIL_MAX_IMAGE_PIXELS } from "../../../src/runtime/data/pillowLimits.js";
import type { DatasetSpec } from "../../../src/runtime/runSpec.js";

const test = suite("image safety");

function makeFifo(path: string): string {
  execFileSync("mkfifo", [path]);
  return path;
}

/** Rejects when `p` has not settled within `ms`; then frees a reader stuck on `fifo` so the process can end. */
async function within<T>(p: Promise<T>, ms: number, fifo: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms (blocked on ${fifo})`)), ms); })]);
  } finally {
    clearTimeout(timer);
    try { closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)); } catch { /* no reader: nothing to free */ }
  }
}

/** A small JPEG whose SOF header declares width x height. */
async function jpegDeclaring(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 10, g: 20, b: 30 } } }).jpeg().toBuffer();
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  assert.ok(sof > 0, "baseline SOF0 marker");
  jpeg.writeUInt16BE(height, sof + 5);
  jpeg.writeUInt16BE(width, sof + 7);
  return jpeg;
}

function dataset(root: string): DatasetSpec {
  return {
    name: "toy_caption", builder: "toy_caption", type: "default", dataType: "images", format: "caption",
    imageRoot: join(root, "images"), storageRoot: root,
    splits: [{ split: "train", annotations: [{ storage: "train.json" }] }],
    visProcessor: { train: { name: "blip_image_eval", params: { image_size: 16 } }, eval: { name: "blip_image_eval", params: { image_size: 16 } } },
    textProcessor: { train: { name: "blip_caption", params: {} }, eval: { name: "blip_caption", params: {} } },
  };
}

test("decoding a named pipe fails at once instead of blocking a thread in open()", async () => {
  const fifo = makeFifo(join(mkdtempSync(join(tmpdir(), "lavisc-img-")), "x.jpg"));
  const err = await within(decodeRgbImage(fifo).then(() => null, (e: Error) => e), 5000, fifo);
  assert.ok(err, "decoding a FIFO must fail");
  assert.match(err!.message, /named pipe \(FIFO\)/);
  const cached = await within(new ImageCache().get(fifo).then(() => null, (e: Error) => e), 5000, fifo);
  assert.match(cached!.message, /cannot read image .*x\.jpg/);
});

test("preflight refuses images that are not regular files, naming the file and the record", async () => {
  const root = mkdtempSync(join(tmpdir(), "lavisc-img-"));
  mkdirSync(join(root, "images", "folder"), { recursive: true });
  writeFileSync(join(root, "images", "ok.png"), await sharp({ create: { width: 4, height: 4, channels: 3, background: "red" } }).png().toBuffer());
  makeFifo(join(root, "images", "pipe.jpg"));
  writeFileSync(join(root, "train.json"), JSON.stringify([
    { image: "ok.png", caption: "a", image_id: "fine" },
    { image: "pipe.jpg", caption: "b", image_id: "piped" },
    { image: "", caption: "c", image_id: "blank" },
    { image: "folder", caption: "d", image_id: "dir" },
  ]));
  const { findings } = await preflightData([dataset(root)], { trainSplits: ["train"], evalSplits: [] });
  const f = findings.find((x) => x.code === "not-a-file-images")!;
  assert.ok(f, JSON.stringify(findings));
  assert.is(f.severity, "error");
  assert.is(f.count, 3);
  assert.match(f.message, /pipe\.jpg of the record with image_id "piped" is a named pipe \(FIFO\)/);
  assert.equal(findings.filter((x) => x.code === "missing-images"), []);
  // An empty "image" names the folder itself: said so, not "a folder".
  writeFileSync(join(root, "train.json"), JSON.stringify([{ image: "", caption: "c", image_id: "blank" }]));
  const onlyBlank = (await preflightData([dataset(root)], { trainSplits: ["train"], evalSplits: [] })).findings.find((x) => x.code === "not-a-file-images")!;
  assert.match(onlyBlank.message, /record with image_id "blank" has an empty "image", which names the image folder .*images\/? itself/);
});

test("a header declaring more pixels than Pillow accepts is refused before decoding; above its warning threshold, a warning", async () => {
  const root = mkdtempSync(join(tmpdir(), "lavisc-img-"));
  mkdirSync(join(root, "images"));
  writeFileSync(join(root, "images", "bomb.jpg"), await jpegDeclaring(15000, 15000));
  writeFileSync(join(root, "images", "big.jpg"), await jpegDeclaring(10000, 10000));
  assert.is(PIL_MAX_IMAGE_PIXELS, 89478485);
  const before = process.memoryUsage().rss;
  const err = await decodeRgbImage(join(root, "images", "bomb.jpg")).then(() => null, (e: Error) => e);
  assert.match(err!.message, /declares 15000x15000 = 225000000 pixels, above the 178956970 \(2 × PIL\.Image\.MAX_IMAGE_PIXELS\)/);
  assert.ok(process.memoryUsage().rss - before < 200 * 1024 ** 2, "refused from the header, not after decoding 675 MB");
  writeFileSync(join(root, "train.json"), JSON.stringify([
    { image: "bomb.jpg", caption: "a", image_id: "bomb" },
    { image: "big.jpg", caption: "b", image_id: "big" },
  ]));
  const { findings } = await preflightData([dataset(root)], { trainSplits: ["train"], evalSplits: [] });
  const refused = findings.find((f) => f.code === "oversized-images")!;
  assert.is(refused.severity, "error");
  assert.match(refused.message, /bomb\.jpg of the record with image_id "bomb" declares 15000x15000/);
  const warned = findings.find((f) => f.code === "large-images")!;
  assert.is(warned.severity, "warning");
  assert.match(warned.message, /big\.jpg of the record with image_id "big" declares 10000x10000 = 100000000 pixels, above PIL\.Image\.MAX_IMAGE_PIXELS \(89478485\)/);
});

const cmyk = JSON.parse(readFileSync(new URL("../../../../test/runtime/data/fixtures/cmykGoldens.json", import.meta.url), "utf8")) as Record<"tiff" | "jpeg", { file: string; width: number; height: number; adobe: boolean; rgb: number[] }>;

test("CMYK decodes to Pillow's convert(\"RGB\"), not an ICC conversion (TIFF, and an Adobe-inverted JPEG)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-img-"));
  assert.ok(cmyk.jpeg.adobe, "the JPEG fixture carries Adobe's APP14 marker (Pillow reads it as CMYK;I)");
  for (const [name, g] of Object.entries(cmyk)) {
    const path = join(dir, `cmyk.${name}`);
    writeFileSync(path, Buffer.from(g.file, "base64"));
    const img = await decodeRgbImage(path);
    assert.is(img.width, g.width);
    assert.equal([...img.data], g.rgb, name);
  }
  assert.equal(cmyk.tiff.rgb.slice(0, 3), [226, 53, 207]);
});

const icc = JSON.parse(readFileSync(new URL("../../../../test/runtime/data/fixtures/iccGoldens.json", import.meta.url), "utf8")) as Record<string, { file: string; mode: string; icc: boolean; width: number; height: number; rgb: number[] }>;

test("an embedded ICC profile is ignored, as Pillow's convert(\"RGB\") ignores it: the stored samples (RGB, grey; PNG, JPEG)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-img-"));
  for (const name of ["wide_rgb_png", "wide_rgb_jpeg", "linear_grey_png", "linear_grey_jpeg"]) {
    const g = icc[name]!;
    assert.ok(g.icc, `${name} carries an ICC profile`);
    const path = join(dir, name);
    writeFileSync(path, Buffer.from(g.file, "base64"));
    const img = await decodeRgbImage(path);
    assert.is(img.width, g.width);
    assert.equal([...img.data], g.rgb, name);
  }
  assert.equal(icc.wide_rgb_png!.rgb.slice(0, 3), [200, 60, 30], "Pillow hands back the samples as written");
});

test("16-bit PNGs decode as Pillow's convert(\"RGB\"): RGB keeps the high byte, grey (mode I) clamps at 255", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-img-"));
  for (const name of ["rgb16_png", "grey16_png"]) {
    const g = icc[name]!;
    const path = join(dir, `${name}.png`);
    writeFileSync(path, Buffer.from(g.file, "base64"));
    assert.equal([...(await decodeRgbImage(path)).data], g.rgb, name);
  }
  assert.is(icc.grey16_png!.mode, "I");
});

test("an annotation url that is a local named pipe is refused, not copied", async () => {
  const root = mkdtempSync(join(tmpdir(), "lavisc-img-"));
  const fifo = makeFifo(join(root, "ann.json"));
  const err = await within(ensureAnnotationFile({ storageRoot: root }, { url: fifo, storage: "copied.json" }).then(() => null, (e: Error) => e), 5000, fifo);
  assert.match(err!.message, /is a named pipe \(FIFO\), not a file to copy/);
});

test.run();
