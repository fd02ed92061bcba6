import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diagnose, edit } from "../harness.js";

// LV4081: a caption shape LAVIS's dataset reads otherwise: a list in a training record (CaptionDataset /
// RetrievalDataset hand it to pre_caption, which fails), a string in an evaluated retrieval record
// (RetrievalEvalDataset iterates its characters). Found by check's byte scanner in local files.
const dir = mkdtempSync(join(tmpdir(), "lavisc-caption-shape-"));
process.env["LAVISC_CACHE"] = join(dir, "cache");

function annotationFile(records: unknown[]): string {
  const file = join(dir, `ann_${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(records));
  return file;
}

function experiment(split: "train" | "test", file: string, splits = "test_splits = [test]"): string {
  const withSplits = edit("min_lr = 0", `min_lr = 0\n    ${splits}`);
  return edit("text_processor.eval = blip_caption", `text_processor.eval = blip_caption\n    build_info.annotations.${split}.storage = ${JSON.stringify(file)}`, withSplits);
}

const lv4081 = (src: string) => diagnose(src).diags.filter((d) => d.code === "LV4081");

const t = suite("rules: caption shapes LAVIS reads otherwise (LV4081)");
t("a string caption in an evaluated retrieval split: its characters would be the texts", () => {
  const file = annotationFile([{ image: "a.jpg", caption: ["x"] }, { image: "b.jpg", caption: "a dog" }, { image: "c.jpg", caption: "a cat" }]);
  const found = lv4081(experiment("test", file));
  assert.is(found.length, 1);
  assert.is(found[0]!.severity, "error");
  assert.is(found[0]!.path, "datasets.coco_retrieval.build_info.annotations.test.storage");
  assert.ok(found[0]!.message.includes(`has 2 records whose \`caption\` is a string (first: ${file} record 1)`), found[0]!.message);
  assert.match(found[0]!.message, /iterates it, so each of its characters becomes a text to retrieve/);
});
t("a list caption in a training split: LAVIS's text processor fails on it", () => {
  const file = annotationFile([{ image: "a.jpg", caption: "x", image_id: 1 }, { image: "b.jpg", caption: ["y", "z"], image_id: 2 }]);
  const found = lv4081(experiment("train", file));
  assert.is(found.length, 1);
  assert.ok(found[0]!.message.includes(`has 1 record whose \`caption\` is a list (first: ${file} record 1)`), found[0]!.message);
  assert.match(found[0]!.message, /fails on a list at the first batch/);
});
t("the shapes LAVIS reads, or the split not evaluated: nothing", () => {
  assert.equal(lv4081(experiment("test", annotationFile([{ image: "a.jpg", caption: ["x", "y"] }]))), []);
  assert.equal(lv4081(experiment("train", annotationFile([{ image: "a.jpg", caption: "x", image_id: 1 }]))), []);
  assert.equal(lv4081(experiment("test", annotationFile([{ image: "a.jpg", caption: "x" }]), "test_splits = []")), []);
});
t.run();
