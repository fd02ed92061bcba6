import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diagnose, edit } from "../harness.js";

// LV4080: an evaluated retrieval image with an empty caption list, which LAVIS scores as a miss
// (RetrievalTask._report_metrics) and `lavisc run` refuses; found by check's byte scanner in local files.
const dir = mkdtempSync(join(tmpdir(), "lavisc-uncaptioned-"));
process.env["LAVISC_CACHE"] = join(dir, "cache");

function experiment(records: unknown[], splits = "test_splits = [test]"): { src: string; file: string } {
  const file = join(dir, `test_${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(records));
  const withSplits = edit("min_lr = 0", `min_lr = 0\n    ${splits}`);
  return { src: edit("text_processor.eval = blip_caption", `text_processor.eval = blip_caption\n    build_info.annotations.test.storage = ${JSON.stringify(file)}`, withSplits), file };
}

const t = suite("rules: evaluated retrieval images without captions (LV4080)");
t("names the split, the count, the first record's file and index, and what LAVIS and lavisc do", () => {
  const { src, file } = experiment([{ image: "a.jpg", caption: ["x"] }, { image: "b.jpg", caption: [] }, { image: "c.jpg", caption: [] }]);
  const found = diagnose(src).diags.filter((d) => d.code === "LV4080");
  assert.is(found.length, 1);
  assert.is(found[0]!.severity, "warning");
  assert.is(found[0]!.path, "datasets.coco_retrieval.build_info.annotations.test.storage");
  assert.ok(found[0]!.message.includes(`has 2 images with an empty \`caption\` list (first: ${file} record 1)`), found[0]!.message);
  assert.match(found[0]!.message, /LAVIS scores each as a miss .* `lavisc run` refuses it before training/);
});
t("captions on every image, or the split not evaluated: nothing", () => {
  const full = experiment([{ image: "a.jpg", caption: ["x"] }, { image: "b.jpg", caption: "y" }]);
  assert.equal(diagnose(full.src).diags.filter((d) => d.code === "LV4080"), []);
  const unevaluated = experiment([{ image: "b.jpg", caption: [] }], "test_splits = []");
  assert.equal(diagnose(unevaluated.src).diags.filter((d) => d.code === "LV4080"), []);
});
t.run();
