import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeRgbImage } from "../../src/runtime/data/rgbImage.js";
import { FASHION_CLASSES, FASHION_MNIST_DIR } from "../../src/data/fashionMnist.js";
import { FASHION_MNIST, testWith } from "../harness/requires.js";
import { readIdx } from "../../src/data/idx.js";
import { prepareDataset } from "../../src/data/index.js";

const test = suite("fashion-mnist dataset");
testWith(test, FASHION_MNIST)("prepares a small subset: disjoint train/val from the training set, test from t10k, labels and pixels intact", async () => {
  const root = mkdtempSync(join(tmpdir(), "lavisc-fmnist-"));
  const p = prepareDataset("fashion-mnist", { root, counts: { train: 40, val: 10, test: 8 } });
  assert.equal(p.manifest.counts, { train: 40, val: 10, test: 8 });
  const json = (rel: string): any => JSON.parse(readFileSync(join(p.root, rel), "utf8"));
  const cls = (split: string): any[] => json(`annotations/classification_${split}.json`);
  const train = cls("train"), val = cls("val"), testRecs = cls("test");
  assert.equal([train.length, val.length, testRecs.length], [40, 10, 8]);
  assert.is(new Set([...train, ...val].map((r) => r.image_id)).size, 50, "val is carved from train without overlap");
  assert.equal(json("annotations/classnames.json"), [...FASHION_CLASSES]);

  // The first t10k labels are public knowledge: ankle boot, pullover, trouser.
  const testLabels = readIdx(join(FASHION_MNIST_DIR, "t10k-labels-idx1-ubyte.gz"));
  assert.equal(testRecs.slice(0, 3).map((r) => r.label), [9, 2, 1]);
  assert.equal(testRecs.map((r) => r.label), Array.from(testLabels.data.subarray(0, 8)));
  const images = readIdx(join(FASHION_MNIST_DIR, "t10k-images-idx3-ubyte.gz"));
  const img = await decodeRgbImage(join(p.root, "images", testRecs[0].image));
  assert.equal([img.width, img.height], [28, 28]);
  for (let i = 0; i < 28 * 28; i += 37) assert.is(img.data[i * 3], images.data[i]);

  const captions = json("annotations/captions_test.json");
  assert.match(captions[0].caption[0], /^a photo of an? (dark |light )?boot$/);
  const vqa = json("annotations/vqa_train.json");
  assert.is(vqa.length, 80);
  const again = prepareDataset("fashion-mnist", { root, counts: { train: 40, val: 10, test: 8 } });
  assert.is(again.created, false);
});

test.run();
