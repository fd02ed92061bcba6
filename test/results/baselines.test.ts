import { test } from "uvu";
import * as assert from "uvu/assert";
import { chanceClass, mostFrequent, mostFrequentAnswer, mostFrequentCaption, mostFrequentClass, retrievalChance } from "../../src/results/baselines.js";
import type { SampleRecord, SplitData } from "../../src/runtime/data/annotations.js";

const rec = (r: Partial<SampleRecord>, i: number): SampleRecord => ({ image: `${i}.png`, text: "", imageId: i, sourceImageId: i, instanceId: String(i), ...r });
const split = (split: string, format: SplitData["format"], records: Partial<SampleRecord>[], extra: Partial<SplitData> = {}): SplitData =>
  ({ format, split, train: split === "train", records: records.map(rec), ...extra });

test("mostFrequent: the first value on ties", () => {
  assert.is(mostFrequent(["b", "a", "a", "b"]), "b");
  assert.is(mostFrequent([]), undefined);
});

test("most frequent class: learned on train, scored on test, with Wilson's interval", () => {
  const train = split("train", "classification", [{ label: 2 }, { label: 2 }, { label: 0 }], { classnames: ["a", "b", "c"] });
  const test_ = split("test", "classification", [{ label: 2 }, { label: 0 }, { label: 1 }, { label: 1 }], { classnames: ["a", "b", "c"] });
  const b = mostFrequentClass(train, test_);
  assert.is(b.value, 0.25);
  assert.ok(b.interval!.low < 0.25 && b.interval!.high > 0.25);
  assert.match(b.how, /"c" \(class 2\)/);
  assert.is(chanceClass(test_).value, 1 / 3);
});

test("most frequent answer: VQAv2 accuracy in percent of one constant answer", () => {
  const train = split("train", "vqa", [{ answers: ["yes"] }, { answers: ["yes"] }, { answers: ["no"] }]);
  const gt = new Map([["1", { answers: Array(10).fill("yes") }], ["2", { answers: Array(10).fill("no") }]]);
  assert.is(mostFrequentAnswer(train, split("test", "vqa", [], { vqaGroundTruth: gt })).value, 50);
});

test("most frequent caption: CIDEr of the constant caption", () => {
  const train = split("train", "caption", [{ text: "a red circle" }, { text: "a red circle" }, { text: "a blue square" }]);
  const test_ = split("test", "caption", [{ references: ["a red circle", "red circle"] }, { references: ["a blue square"] }]);
  const b = mostFrequentCaption(train, test_);
  assert.match(b.how, /"a red circle"/);
  assert.ok(b.value > 0 && b.others!["Bleu_4"] !== undefined);
});

test("retrieval chance: exact expected recall of a random ranking", () => {
  // 4 images with 2 captions each: an image finds one of its 2 among 8 in the top 1 with probability 2/8.
  const b = retrievalChance({ texts: Array(8).fill(""), img2txt: [[0, 1], [2, 3], [4, 5], [6, 7]], txt2img: [0, 0, 1, 1, 2, 2, 3, 3] }, "test");
  // Top 5: 1 - C(6,5)/C(8,5) = 1 - 6/56; top 10 covers all 8 captions. A caption finds its image among 4: 1/4, then 1.
  const txt = [0.25, 1 - 6 / 56, 1], img = [0.25, 1, 1];
  const expected = (100 * (txt.reduce((a, c) => a + c) / 3 + img.reduce((a, c) => a + c) / 3)) / 2;
  assert.ok(Math.abs(b.value - expected) < 1e-9, `${b.value} vs ${expected}`);
});

test.run();
