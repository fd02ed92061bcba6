import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageIdFromPath, parseSplit, readSplit, type ParseOptions } from "../../../src/runtime/data/annotations.js";
import { answerWeights } from "../../../src/runtime/data/vqaAnswers.js";
import { DataError } from "../../../src/runtime/data/dataError.js";
import { preCaption, preQuestion } from "../../../src/runtime/data/processors/textProcessors.js";
import type { DatasetSpec } from "../../../src/runtime/runSpec.js";

const train = (textProcessor = (t: string) => preCaption(t)): ParseOptions => ({ split: "train", train: true, textProcessor });
const evalOpts = (textProcessor = (t: string) => preCaption(t)): ParseOptions => ({ split: "val", train: false, textProcessor });

const caption = suite("caption and retrieval annotations");

caption("train records: one per caption, processed text, contiguous image ids in first-seen order", () => {
  const files = [[
    { image: "a.jpg", caption: "A Dog.", image_id: "coco_9" },
    { image: "b.jpg", caption: "A cat!", image_id: "coco_3" },
    { image: "a.jpg", caption: "Another dog", image_id: "coco_9" },
  ], [{ image: "c.jpg", caption: "A bird", image_id: "coco_1" }]];
  const d = parseSplit("caption", files, train());
  assert.equal(d.records.map((r) => r.text), ["a dog", "a cat", "another dog", "a bird"]);
  assert.equal(d.records.map((r) => r.imageId), [0, 1, 0, 2]);
  assert.equal(d.records.map((r) => r.instanceId), ["0", "1", "2", "3"]);
  assert.equal(d.records.map((r) => r.sourceImageId), ["coco_9", "coco_3", "coco_9", "coco_1"]);
});

caption("eval records: one per image, references kept, COCO image id taken from the file name", () => {
  const d = parseSplit("caption", [[{ image: "val2014/COCO_val2014_000000391895.jpg", caption: ["A man.", "A bike"] }, { image: "x/y.png", caption: "one" }]], evalOpts());
  assert.equal(d.records.map((r) => r.sourceImageId), [391895, "y"]);
  assert.equal(d.records.map((r) => r.references), [["A man.", "A bike"], ["one"]]);
  assert.is(d.retrieval, undefined);
  assert.is(imageIdFromPath("flickr30k-images/1000092795.jpg"), 1000092795);
});

caption("retrieval eval builds texts, img2txt and txt2img like RetrievalEvalDataset", () => {
  const d = parseSplit("retrieval", [[{ image: "1.jpg", caption: ["A b.", "C d"] }, { image: "2.jpg", caption: ["E"] }, { image: "3.jpg", caption: ["F", "G", "H!"] }]], evalOpts());
  assert.equal(d.retrieval!.texts, ["a b", "c d", "e", "f", "g", "h"]);
  assert.equal(d.retrieval!.img2txt, [[0, 1], [2], [3, 4, 5]]);
  assert.equal(d.retrieval!.txt2img, [0, 0, 1, 2, 2, 2]);
  assert.equal(d.records.map((r) => r.imageId), [0, 1, 2]);
});

caption("malformed records are DataErrors naming the file", () => {
  const opts = { ...train(), paths: ["/data/ann.json"] };
  assert.throws(() => parseSplit("caption", [{ not: "a list" }], opts), (e: unknown) => e instanceof DataError && e.code === "malformed-annotation" && /\/data\/ann.json/.test(e.message));
  assert.throws(() => parseSplit("caption", [[{ caption: "no image" }]], opts), /record 0 has no string "image"/);
  assert.throws(() => parseSplit("caption", [[{ image: "a", caption: 3 }]], opts), /"caption" must be a string/);
});

caption("a caption's shape is refused where LAVIS's dataset would read it otherwise", () => {
  // CaptionDataset / RetrievalDataset hand a training caption to pre_caption whole (a list fails there).
  assert.throws(() => parseSplit("retrieval", [[{ image: "a.jpg", caption: ["one", "two"] }]], train()), /record 0: "caption" is a list in a training split.*one record per caption/);
  assert.throws(() => parseSplit("caption", [[{ image: "a.jpg", caption: ["one"] }]], train()), /is a list in a training split/);
  // RetrievalEvalDataset iterates the caption: a string's characters would each be a caption.
  assert.throws(() => parseSplit("retrieval", [[{ image: "a.jpg", caption: ["ok"] }, { image: "b.jpg", caption: "a dog" }]], evalOpts()),
    /record 1: "caption" is a string, not a list; .*each of its 5 characters.*Write \["a dog"\]/);
  // Caption evaluation keeps a single reference string (its references are scored, not iterated into texts).
  assert.equal(parseSplit("caption", [[{ image: "a.jpg", caption: "a dog" }]], evalOpts()).records[0]!.references, ["a dog"]);
});

const vqa = suite("vqa annotations");

vqa("answer weights are counts over the number of answers (COCOVQADataset)", () => {
  assert.equal(answerWeights(["yes", "yes", "no", "yes"]), { answers: ["yes", "no"], weights: [0.75, 0.25] });
  assert.equal(answerWeights(["a", "b", "a"], [0.5, 0.2, 0.1]).weights.map((w) => +w.toFixed(6)), [0.6, 0.2]);
  const d = parseSplit("vqa", [[{ question_id: 5, question: "What Colour (is) it?", answer: ["red", "red", "blue", "red", "red"], image: "i.jpg" }], [{ question_id: 6, question: "how many", answer: "2", image: "j.jpg" }]], train((t) => preQuestion(t)));
  assert.equal(d.records[0]!.text, "what colour is it?");
  assert.equal(d.records[0]!.answers, ["red", "blue"]);
  assert.equal(d.records[0]!.answerWeights, [0.8, 0.2]);
  assert.equal(d.records[1]!.answers, ["2"]);
  assert.equal(d.records.map((r) => r.questionId), [5, 6]);
});

vqa("a builder's declared rule weighs training answers as its dataset class does (VGVQADataset, GQADataset, AOKVQADataset)", () => {
  const q = (t: string) => preQuestion(t);
  const vg = [{ dataset: "vg", image: "VG_100K/1.jpg", question: "What color is the bus?", answer: "red", question_id: 7 }];
  // VGVQADataset.__getitem__: answers = [ann["answer"]], weights = [0.2].
  const d = parseSplit("vqa", [vg], { ...train(q), trainAnswers: { field: "answer", weight: 0.2 } });
  assert.equal([d.records[0]!.answers, d.records[0]!.answerWeights], [["red"], [0.2]]);
  // GQADataset.__getitem__: weights = [1].
  assert.equal(parseSplit("vqa", [vg], { ...train(q), trainAnswers: { field: "answer", weight: 1 } }).records[0]!.answerWeights, [1]);
  // AOKVQADataset.__getitem__ reads direct_answers (count / len), whatever else the record has.
  const aok = [{ image: "a.jpg", question: "why?", question_id: "x", choices: ["rain", "sun"], correct_choice_idx: 0, direct_answers: ["rain", "rain", "wet", "rain"] }];
  const a = parseSplit("vqa", [aok], { ...train(q), trainAnswers: { field: "direct_answers", weight: "share" } });
  assert.equal([a.records[0]!.answers, a.records[0]!.answerWeights], [["rain", "wet"], [0.75, 0.25]]);
  // COCOVQADataset ignores a `weight` list in the record (lavisc's lenient reading of other builders honours it).
  const coco = [{ image: "c.jpg", question: "what?", answer: ["a", "b"], weight: [0.9, 0.1] }];
  assert.equal(parseSplit("vqa", [coco], { ...train(q), trainAnswers: { field: "answer", weight: "share" } }).records[0]!.answerWeights, [0.5, 0.5]);
  assert.equal(parseSplit("vqa", [coco], train(q)).records[0]!.answerWeights, [0.9, 0.1]);
});

vqa("a training answer of the shape the declared class reads otherwise is refused", () => {
  const q = (t: string) => preQuestion(t);
  const share = { ...train(q), trainAnswers: { field: "answer", weight: "share" as const } };
  // COCOVQADataset iterates ann["answer"]: a string's characters would each be an answer.
  assert.throws(() => parseSplit("vqa", [[{ image: "i.jpg", question: "q", answer: "two" }]], share), /record 0: "answer" is a string, not a list; .*each of its 3 characters.*Write \["two"\]/);
  assert.throws(() => parseSplit("vqa", [[{ image: "i.jpg", question: "q", direct_answers: ["x"] }]], share), /record 0: has no "answer"/);
  // VGVQADataset takes ann["answer"] whole as the one answer.
  assert.throws(() => parseSplit("vqa", [[{ image: "i.jpg", question: "q", answer: ["a", "b"] }]], { ...train(q), trainAnswers: { field: "answer", weight: 0.2 } }), /"answer" must be one answer \(a string\).*weight 0\.2/);
});

vqa("eval: answer list from ann_paths[1], ground truth from COCO-format annotations (ann_paths[3])", () => {
  const records = [{ question_id: 7, question: "what?", image: "i.jpg" }];
  const answerList = ["red", "blue"];
  const cocoAnnotations = { annotations: [{ question_id: 7, answer_type: "other", question_type: "what", answers: [{ answer: "red", answer_id: 1 }, { answer: "blue", answer_id: 2 }] }] };
  const d = parseSplit("vqa", [records, answerList, { questions: [] }, cocoAnnotations], evalOpts((t) => preQuestion(t)));
  assert.equal(d.answerList, ["red", "blue"]);
  assert.equal(d.vqaGroundTruth!.get("7"), { answers: ["red", "blue"], answerType: "other", questionType: "what" });
  assert.is(d.records[0]!.answers, undefined);
  assert.throws(() => parseSplit("vqa", [records, [1, 2]], evalOpts()), /answer list must be a JSON list of strings/);
});

const cls = suite("classification annotations");

cls("integer labels, string labels through a class-name list, and out-of-range labels", () => {
  const names = ["cat", "dog"];
  const d = parseSplit("classification", [[{ image: "a", label: 1 }, { image: "b", label: "cat" }], names], train());
  assert.equal(d.records.map((r) => r.label), [1, 0]);
  assert.equal(d.classnames, names);
  const sorted = parseSplit("classification", [[{ image: "a", label: "zebra" }, { image: "b", label: "ant" }]], train());
  assert.equal(sorted.classnames, ["ant", "zebra"]);
  assert.equal(sorted.records.map((r) => r.label), [1, 0]);
  assert.throws(() => parseSplit("classification", [[{ image: "a", label: 5 }], names], train()), /label 5 is not a class index/);
});

const files = suite("reading splits from disk");

files("readSplit resolves storage against storageRoot and reports missing files and splits", async () => {
  const root = mkdtempSync(join(tmpdir(), "lavisc-ann-"));
  writeFileSync(join(root, "train.json"), JSON.stringify([{ image: "a.png", caption: "Hi.", image_id: 1 }]));
  const ds: DatasetSpec = {
    name: "t", builder: "t", type: "default", dataType: "images", format: "caption", imageRoot: root, storageRoot: root,
    splits: [{ split: "train", annotations: [{ storage: "train.json" }] }, { split: "val", annotations: [{ storage: "missing.json" }] }],
    visProcessor: {}, textProcessor: {},
  };
  const d = await readSplit(ds, "train", true, (t) => preCaption(t));
  assert.equal(d.records.map((r) => r.text), ["hi"]);
  try { await readSplit(ds, "val", false, (t) => t); assert.unreachable(); } catch (e) {
    assert.ok(e instanceof DataError && e.code === "missing-file" && e.path === join(root, "missing.json"), String(e));
  }
  try { await readSplit(ds, "test", false, (t) => t); assert.unreachable(); } catch (e) {
    assert.match(String(e), /has no "test" split/);
  }
});

files("readSplit weighs a training split's answers by the dataset's declared rule (DatasetSpec.trainAnswers)", async () => {
  const root = mkdtempSync(join(tmpdir(), "lavisc-ann-"));
  writeFileSync(join(root, "vg.json"), JSON.stringify([{ image: "a.jpg", question: "What color?", answer: "red" }]));
  const ds: DatasetSpec = {
    name: "vg", builder: "vg", type: "default", dataType: "images", format: "vqa", imageRoot: root, storageRoot: root,
    trainAnswers: { field: "answer", weight: 0.2 }, splits: [{ split: "train", annotations: [{ storage: "vg.json" }] }],
    visProcessor: {}, textProcessor: {},
  };
  assert.equal((await readSplit(ds, "train", true, (t) => t)).records[0]!.answerWeights, [0.2]);
});

files("an annotation storage that is a device (/dev/zero) is a missing file, not a read that never ends", async () => {
  const ds: DatasetSpec = {
    name: "t", builder: "t", type: "default", dataType: "images", format: "caption", imageRoot: "/dev", storageRoot: "/dev",
    splits: [{ split: "train", annotations: [{ storage: "/dev/zero" }] }], visProcessor: {}, textProcessor: {},
  };
  try { await readSplit(ds, "train", true, (t) => t); assert.unreachable(); } catch (e) {
    assert.ok(e instanceof DataError && e.code === "missing-file" && e.path === "/dev/zero", String(e));
  }
});

caption.run();
vqa.run();
cls.run();
files.run();
