// How a VQA task scores answers reaches the runtime from the stdlib (`vqa_scoring` in stdlib/tasks.lv): AOKVQATask and
// GQATask count matching answers; VQATask's official VQAv2 accuracy is the runtime's default (no field).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkFile } from "../../src/index.js";
import { nodeHost } from "../../src/cli/host.js";
import { lowerToGraph, runSpecOf } from "../../src/compiler/lower.js";

function scoringOf(task: string, dataset: string): unknown {
  const path = join(mkdtempSync(join(tmpdir(), "lavisc-scoring-")), "vqa.yaml");
  writeFileSync(path, `model:\n  arch: blip_vqa\n  model_type: vqav2\ndatasets:\n  ${dataset}: {}\nrun:\n  task: ${task}\n  init_lr: 2e-5\n`);
  const r = checkFile(path, nodeHost());
  assert.ok(r.resolved);
  return runSpecOf(lowerToGraph(r.resolved!).graph).vqaScoring;
}

test("aok_vqa: min(1, matches / 3), no normalisation, under acc (AOKVQATask._report_metrics)", () => {
  assert.equal(scoringOf("aok_vqa", "aok_vqa"), { accuracy: "matches", fullCreditMatches: 3, normalisePrediction: false, normaliseGroundTruth: false, metricKeys: ["acc"] });
});

test("gqa: the normalised prediction equals the normalised answer (the X-InstructBLIP GQATask._report_metrics)", () => {
  assert.equal(scoringOf("gqa", "gqa"), { accuracy: "matches", fullCreditMatches: 1, normalisePrediction: true, normaliseGroundTruth: true, metricKeys: ["acc"] });
});

test("vqa: VQAv2 accuracy, the runtime's default", () => {
  assert.is(scoringOf("vqa", "coco_vqa"), undefined);
});

test.run();
