// Compares the JS image ops with reference outputs from Pillow and from LAVIS's own numpy/cv2 RandAugment code
// (fixtures/makeProcessorGoldens.py writes fixtures/processorGoldens.json).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { autoContrast, brightness, equalize, rotate, sharpness, warpAffine } from "../../../src/runtime/data/processors/randAugment.js";
import { crop, resizeBicubic } from "../../../src/runtime/data/resample.js";
import { createRgbImage, type RgbImage } from "../../../src/runtime/data/rgbImage.js";

interface Encoded { width: number; height: number; rgb: string }
interface Golden { op: string; args: number[]; input: string; output: Encoded }
const fixture = JSON.parse(readFileSync(new URL("../../../../test/runtime/data/fixtures/processorGoldens.json", import.meta.url), "utf8")) as {
  inputs: Record<string, Encoded>; cases: Golden[];
};
const decode = (e: Encoded): RgbImage => createRgbImage(e.width, e.height, new Uint8Array(Buffer.from(e.rgb, "base64")));

function run(g: Golden, img: RgbImage): RgbImage {
  const [a = 0, b = 0, c = 0, d = 0, e = 0] = g.args;
  switch (g.op) {
    case "resize": return resizeBicubic(img, a, b);
    case "resizedCrop": return resizeBicubic(crop(img, a, b, c, d), e, e);
    case "autoContrast": return autoContrast(img);
    case "equalize": return equalize(img);
    case "brightness": return brightness(img, a);
    case "sharpness": return sharpness(img, a);
    case "shearX": return warpAffine(img, [1, a, 0, 0, 1, 0]);
    case "shearY": return warpAffine(img, [1, 0, 0, a, 1, 0]);
    case "translateX": return warpAffine(img, [1, 0, -a, 0, 1, 0]);
    case "translateY": return warpAffine(img, [1, 0, 0, 0, 1, -a]);
    case "rotate": return rotate(img, a);
    default: throw new Error(`unknown op ${g.op}`);
  }
}

const test = suite("processor goldens (Pillow / LAVIS cv2 RandAugment)");

for (const g of fixture.cases) {
  test(`${g.op}(${g.args.join(", ")}) on ${g.input}`, () => {
    const got = run(g, decode(fixture.inputs[g.input]!));
    const want = decode(g.output);
    assert.equal([got.width, got.height], [want.width, want.height]);
    let worst = 0, off = 0;
    for (let i = 0; i < want.data.length; i++) {
      const diff = Math.abs(got.data[i]! - want.data[i]!);
      worst = Math.max(worst, diff);
      if (diff > 0) off++;
    }
    // Exact: the resize uses Pillow's fixed point and the warps reproduce cv2's fixed-point remap.
    assert.ok(worst === 0, `max difference ${worst} (${off} of ${want.data.length} values differ)`);
  });
}

test.run();
