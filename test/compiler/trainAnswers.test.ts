// How each VQA builder's training dataset weighs a record's answers reaches the runtime from the stdlib
// (`train_answers` in stdlib/contracts.lv), each as its LAVIS dataset class reads them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkFile } from "../../src/index.js";
import { nodeHost } from "../../src/cli/host.js";
import { lowerToGraph, runSpecOf } from "../../src/compiler/lower.js";

function trainAnswersOf(datasets: readonly string[]): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-answers-"));
  const path = join(dir, "vqa.yaml");
  writeFileSync(path, `model:\n  arch: blip_vqa\n  model_type: vqav2\ndatasets:\n${datasets.map((d) => `  ${d}: {}\n`).join("")}run:\n  task: vqa\n  init_lr: 2e-5\n`);
  const r = checkFile(path, nodeHost());
  assert.ok(r.resolved);
  return Object.fromEntries(runSpecOf(lowerToGraph(r.resolved!).graph).datasets.map((d) => [d.name, d.trainAnswers]));
}

test("each LAVIS VQA builder's training answers, as its dataset class reads them", () => {
  assert.equal(trainAnswersOf(["coco_vqa", "ok_vqa", "aok_vqa", "gqa", "vg_vqa"]), {
    coco_vqa: { field: "answer", weight: "share" }, // COCOVQADataset: count / len
    ok_vqa: { field: "answer", weight: "share" }, // OKVQABuilder extends COCOVQABuilder
    aok_vqa: { field: "direct_answers", weight: "share" }, // AOKVQADataset
    gqa: { field: "answer", weight: 1 }, // GQADataset: [ann["answer"]], [1]
    vg_vqa: { field: "answer", weight: 1 }, // VGVQADataset since X-InstructBLIP (0.2 before)
  });
});

test("aok_vqa_instruct trains as aok_vqa: AOKVQAInstructDataset extends AOKVQADataset (aok_vqa_datasets.py @ac8fc98)", () => {
  assert.equal(trainAnswersOf(["aok_vqa_instruct"]), { aok_vqa_instruct: { field: "direct_answers", weight: "share" } });
});

test("lavisc's built-in VQA data keeps the lenient reading (its records are COCOVQA-style lists)", () => {
  assert.equal(trainAnswersOf(["shapes_vqa"]), { shapes_vqa: undefined });
});

test.run();
