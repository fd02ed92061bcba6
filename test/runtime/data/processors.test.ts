import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createImageProcessor, randomResizedCropParams, UnsupportedProcessorError, CLIP_MEAN, CLIP_STD } from "../../../src/runtime/data/processors/imageProcessors.js";
import { autoContrast, brightness, equalize, rotate, warpAffine, randomAugment } from "../../../src/runtime/data/processors/randAugment.js";
import { createTextProcessor, preCaption, preQuestion } from "../../../src/runtime/data/processors/textProcessors.js";
import { resizeBicubic } from "../../../src/runtime/data/resample.js";
import { createRgbImage, type RgbImage } from "../../../src/runtime/data/rgbImage.js";
import { createRng } from "../../../src/runtime/data/rng.js";

/** A deterministic test picture: gradients plus a bright square, so crops and flips change the output. */
function picture(w: number, h: number): RgbImage {
  const img = createRgbImage(w, h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 3, inSquare = x > w / 4 && x < w / 2 && y > h / 4 && y < h / 2;
    img.data[i] = inSquare ? 250 : Math.round((x / w) * 200);
    img.data[i + 1] = Math.round((y / h) * 200);
    img.data[i + 2] = inSquare ? 30 : 100;
  }
  return img;
}

const text = suite("text processors");

text("pre_caption lower-cases, blanks LAVIS's punctuation, collapses whitespace and strips", () => {
  assert.is(preCaption("A Man riding a horse."), "a man riding a horse");
  assert.is(preCaption('  "Two dogs"  (playing)  on: the ~beach!!\n'), "two dogs playing on the beach");
  assert.is(preCaption("commas, and question marks? stay"), "commas, and question marks? stay");
  assert.is(preCaption("a#b*c;d"), "a b c d");
});

text("pre_caption collapses Python's whitespace (re's \\s on a str), not JavaScript's", () => {
  // Expected values from LAVIS's pre_caption under Python 3.11.
  assert.is(preCaption("a\u001c\u001cb"), "a b", "file separators are Python whitespace");
  assert.is(preCaption("a\u001f\u001eb"), "a b");
  assert.is(preCaption("a\u0085\u0085b"), "a b", "next line is Python whitespace");
  assert.is(preCaption("a \u0085b"), "a b");
  assert.is(preCaption("end\u001c\u001c"), "end");
  assert.is(preCaption("a\ufeff\ufeffb"), "a\ufeff\ufeffb", "a byte-order mark is not Python whitespace");
  assert.is(preCaption("a\u180e\u180eb"), "a\u180e\u180eb");
  assert.is(preQuestion("a\u001c\u001cb"), "a\u001c\u001cb", "pre_question does not collapse whitespace");
});

text("pre_caption truncates to max_words and the processor prepends its prompt", () => {
  assert.is(preCaption("one two three four five", 3), "one two three");
  const p = createTextProcessor({ name: "blip_caption", params: { prompt: "a picture of ", max_words: 4 } });
  assert.is(p("A RED circle on the left."), "a picture of a red circle on");
});

text("pre_question removes punctuation without inserting spaces and keeps '?'", () => {
  assert.is(preQuestion("What colour is the (big) ball?"), "what colour is the big ball?");
  assert.is(preQuestion("Is it red.  "), "is it red");
  assert.is(preQuestion("a b c d", 2), "a b");
});

text("absent slot is identity; unknown names are rejected", () => {
  assert.is(createTextProcessor(undefined)("Keep AS is."), "Keep AS is.");
  assert.throws(() => createTextProcessor({ name: "gpt_dialogue", params: {} }), (e: unknown) => e instanceof UnsupportedProcessorError);
});

const image = suite("image processors");

const process = (name: string, params: Record<string, unknown>, img: RgbImage, seed: number): Float32Array => {
  const p = createImageProcessor({ name, params });
  const out = new Float32Array(p.size * p.size * 3);
  p.processInto(img, createRng(seed), out, 0);
  return out;
};

image("blip_image_train: shape, normalised range, determinism under a seed", () => {
  const img = picture(48, 40);
  const a = process("blip_image_train", { image_size: 32 }, img, 7);
  const b = process("blip_image_train", { image_size: 32 }, img, 7);
  const c = process("blip_image_train", { image_size: 32 }, img, 8);
  assert.is(a.length, 32 * 32 * 3);
  assert.equal(a, b);
  assert.not.equal(a, c);
  for (let i = 0; i < a.length; i++) {
    const ch = i % 3, lo = (0 - CLIP_MEAN[ch]!) / CLIP_STD[ch]!, hi = (1 - CLIP_MEAN[ch]!) / CLIP_STD[ch]!;
    if (a[i]! < lo - 1e-6 || a[i]! > hi + 1e-6) assert.unreachable(`value ${a[i]} at ${i} outside [${lo}, ${hi}]`);
  }
});

image("blip_image_train varies across seeds (crop, flip and RandAugment all draw from the seed)", () => {
  const img = picture(40, 40);
  const outs = new Set<string>();
  for (let seed = 0; seed < 12; seed++) outs.add(Buffer.from(process("blip_image_train", { image_size: 24 }, img, seed).buffer).toString("base64"));
  assert.ok(outs.size >= 11, `only ${outs.size} distinct outputs from 12 seeds`);
});

image("blip_image_eval: same-size input is only normalised, with custom mean/std", () => {
  const img = picture(16, 16);
  const out = process("blip_image_eval", { image_size: 16, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }, img, 0);
  for (let i = 0; i < out.length; i += 97) assert.ok(Math.abs(out[i]! - (img.data[i]! / 255 - 0.5) / 0.5) < 1e-6);
  assert.equal(process("blip_image_eval", { image_size: 8 }, img, 1), process("blip_image_eval", { image_size: 8 }, img, 2), "eval ignores the rng");
});

image("clip_image_eval resizes the shorter side then centre-crops; clip_image_train crops within the image", () => {
  const wide = createRgbImage(64, 32);
  for (let x = 0; x < 64; x++) for (let y = 0; y < 32; y++) wide.data.set(x < 16 || x >= 48 ? [255, 0, 0] : [0, 0, 255], (y * 64 + x) * 3);
  const out = process("clip_image_eval", { image_size: 16 }, wide, 0);
  // After resizing to 32x16 and cropping the middle 16 columns, only the blue band remains (red edges cut away).
  const blue = (1 - CLIP_MEAN[2]) / CLIP_STD[2], red0 = (0 - CLIP_MEAN[0]) / CLIP_STD[0];
  assert.ok(Math.abs(out[8 * 16 * 3 + 8 * 3 + 2]! - blue) < 1e-5);
  for (const col of [4, 11]) assert.ok(Math.abs(out[(8 * 16 + col) * 3]! - red0) < 1e-5, `column ${col} of the crop has no red`);
  assert.is(process("clip_image_train", { image_size: 20 }, picture(30, 30), 3).length, 20 * 20 * 3);
});

image("RandomResizedCrop parameters stay inside the image and within the scale range", () => {
  const rng = createRng(11);
  for (let i = 0; i < 500; i++) {
    const p = randomResizedCropParams(50, 30, [0.5, 1], rng);
    assert.ok(p.top >= 0 && p.left >= 0 && p.top + p.height <= 30 && p.left + p.width <= 50);
    const area = (p.width * p.height) / 1500;
    assert.ok(area > 0.4 && area <= 1.0, `area share ${area}`);
  }
});

image("unknown processor names and bad parameters are rejected", () => {
  assert.throws(() => createImageProcessor({ name: "alpro_video_train", params: {} }), (e: unknown) => e instanceof UnsupportedProcessorError);
  assert.throws(() => createImageProcessor({ name: "blip_image_eval", params: { image_size: "big" } }), /image_size must be a number/);
});

const ops = suite("resampling and RandAugment ops");

ops("bicubic resize keeps a constant image constant and is exact at the same size", () => {
  const flat = createRgbImage(10, 7, new Uint8Array(10 * 7 * 3).fill(77));
  assert.ok(resizeBicubic(flat, 23, 5).data.every((v) => v === 77));
  const img = picture(12, 12);
  assert.equal(resizeBicubic(img, 12, 12).data, img.data);
});

ops("autocontrast stretches channels whose minimum is 0 and, like LAVIS's uint8 arithmetic, saturates the others", () => {
  const img = createRgbImage(2, 1, Uint8Array.from([0, 10, 0, 51, 20, 0]));
  assert.equal(Array.from(autoContrast(img).data), [0, 255, 0, 255, 255, 0]);
});

ops("brightness 1.0 is identity; equalize spreads values", () => {
  const p = picture(20, 20);
  assert.equal(brightness(p, 1.0).data, p.data);
  const eq = equalize(p);
  assert.is(eq.data.length, p.data.length);
  assert.ok(Math.max(...eq.data.filter((_, i) => i % 3 === 1)) > Math.max(...p.data.filter((_, i) => i % 3 === 1)));
});

ops("translate moves pixels by whole steps and fills with grey 128; rotate(0) is identity", () => {
  const img = picture(8, 8);
  const moved = warpAffine(img, [1, 0, -2, 0, 1, 0]); // cv2 forward matrix: content shifts left by 2
  for (let y = 0; y < 8; y++) for (let x = 0; x < 6; x++) for (let c = 0; c < 3; c++) {
    assert.is(moved.data[(y * 8 + x) * 3 + c], img.data[(y * 8 + x + 2) * 3 + c]);
  }
  assert.is(moved.data[(3 * 8 + 7) * 3], 128);
  assert.equal(rotate(img, 0).data, img.data);
});

ops("randomAugment is deterministic for a seed", () => {
  const img = picture(16, 16);
  assert.equal(randomAugment(img, createRng(5)).data, randomAugment(img, createRng(5)).data);
});

text.run();
image.run();
ops.run();
