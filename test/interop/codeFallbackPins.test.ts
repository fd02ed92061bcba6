// What migrate writes for keys a LAVIS YAML leaves to LAVIS's code (LV4019): LAVIS's value with a comment, except
// where LAVIS reads the key two ways (a VQA task's answer-list lookup and the runner's validation), where no value
// means what leaving it out does.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { memoryHost } from "../../src/cli/host.js";
import { migrateFile } from "../../src/interop/migrateFile.js";

const vqa = (run: string) => `model:
  arch: blip_vqa
  model_type: vqav2
  load_finetuned: False
datasets:
  coco_vqa:
    vis_processor:
      train: {name: blip_image_train, image_size: 480}
      eval: {name: blip_image_eval, image_size: 480}
    text_processor:
      train: {name: blip_question}
      eval: {name: blip_question}
run:
  task: vqa
  init_lr: 2.0e-5
  min_lr: 0
  max_epoch: 1
  batch_size_train: 2
  batch_size_eval: 2
  output_dir: o
${run}`;

function migrated(yaml: string): { lv: string; codes: string[] } {
  const host = memoryHost({ "/w/x.yaml": yaml }, "/w");
  const m = migrateFile("/w/x.yaml", host, {}, "/w/x.lv");
  return { lv: m.lv ?? "", codes: m.diagnostics.map((d) => `${d.severity} ${d.code} ${d.path}`) };
}

test("a key left to LAVIS's code is written with LAVIS's value and a comment", () => {
  const { lv, codes } = migrated(vqa("  evaluate: False\n  train_splits: [train]\n  valid_splits: [val]\n"));
  assert.match(lv, /\/\/ The YAML leaves `test_splits` out; LAVIS's code then uses \[\] \(lavisc's default would be \["test"\]\)\.\n\s+test_splits = \[\]\n/);
  assert.not.ok(codes.some((c) => c.includes("LV4019")), codes.join("\n"));
});

test("valid_splits of a VQA training run is not written: the task would lose its answer list (LV4075)", () => {
  const { lv, codes } = migrated(vqa("  evaluate: False\n  train_splits: [train]\n  test_splits: [test]\n"));
  assert.not.match(lv, /valid_splits/);
  assert.equal(codes.filter((c) => c.startsWith("error")), []);
  // lavisc's documented ["val"] stays, and the warning with it: the choice is the user's.
  assert.ok(codes.includes("warning LV4019 run.valid_splits"), codes.join("\n"));
});

test.run();
