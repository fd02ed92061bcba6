import { suite } from "uvu";
import * as assert from "uvu/assert";
import { diagnose } from "../harness.js";

// LV4096: GQATask._report_metrics (lavis/tasks/vqa.py @7a08d0c) calls self._save_result_leaderboard, which only
// AOKVQATask defines, on a result whose gt_ans is None: every record of GQA's test split (test_balanced_questions.json)
// has no `answer` (stdlib/contracts.lv: task gqa `unanswered_records`, builder gqa `records_without`).

function yaml(opts: { type?: string; task?: string; run: string }): string {
  return `model:
  arch: blip2_t5
  model_type: pretrain_flant5xl
datasets:
  gqa:
    type: ${opts.type ?? "balanced_testdev"}
    vis_processor:
      eval: { name: blip_image_eval, image_size: 224 }
    text_processor:
      eval: { name: blip_question }
run:
  task: ${opts.task ?? "gqa"}
  batch_size_train: 2
  batch_size_eval: 2
  max_len: 10
  min_len: 1
  num_beams: 5
  inference_method: generate
  output_dir: out
  evaluate: True
${opts.run}`;
}

const lv4096 = (src: string) => diagnose(src, { name: "/virtual/exp.yaml" }).diags.filter((d) => d.code === "LV4096");

const t = suite("rules: GQA evaluating a split without answers (LV4096)");
t("task gqa testing GQA's test split (balanced_testdev's `test`): an error at the split, naming the AttributeError", () => {
  const found = lv4096(yaml({ run: "  test_splits: [test]\n" }));
  assert.is(found.length, 1);
  assert.is(found[0]!.severity, "error");
  assert.is(found[0]!.path, "run.test_splits");
  assert.match(found[0]!.message, /Task `gqa` evaluates split `test` of `gqa`, whose records \(gqa\/annotations\/test_balanced_questions\.json\) have no `answer`/);
  assert.match(found[0]!.message, /AttributeError: 'GQATask' object has no attribute '_save_result_leaderboard'/);
  assert.match(found[0]!.hint ?? "", /testdev or val/);
});
t("validating on the gqa builder's default type, whose `val` is A-OKVQA's records: reported for valid_splits", () => {
  const found = lv4096(yaml({ type: "default", run: "  valid_splits: [val]\n" }));
  assert.is(found.length, 1);
  assert.is(found[0]!.path, "run.valid_splits");
  assert.match(found[0]!.message, /aokvqa\/annotations\/aokvqa_v1p0_val\.json/);
});
t("silent for testdev (balanced_testdev's `val`, as LAVIS's own BLIP-2 GQA eval tests) and for a task without the fact", () => {
  assert.equal(lv4096(yaml({ run: "  test_splits: [val]\n" })), []);
  assert.equal(lv4096(yaml({ type: "balanced_val", run: "  valid_splits: [val]\n" })), []);
  assert.equal(lv4096(yaml({ task: "vqa", run: "  test_splits: [test]\n" })), []);
});
t.run();

// GQATask and AOKVQATask score each result's gt_ans (vqa.py @7a08d0c and the X-InstructBLIP vqa.py): the COCO-format
// files VQATask scores against are never opened, so stdlib/tasks.lv leaves them out of these tasks' `reads`.
const ignored = (src: string) => diagnose(src, { name: "/virtual/exp.yaml" }).diags.filter((d) => d.code === "LV4010").map((d) => d.path);
const k = suite("rules: anno_files / ques_files under gqa and aok_vqa are ignored (LV4010)");
k("task gqa: both keys reported as ignored", () => {
  const files = "  anno_files: { val: a.json }\n  ques_files: { val: q.json }\n  test_splits: [val]\n";
  assert.equal(ignored(yaml({ run: files })).sort(), ["run.anno_files", "run.ques_files"]);
});
k("task vqa reads them: silent", () => {
  const files = "  anno_files: { val: a.json }\n  ques_files: { val: q.json }\n  test_splits: [val]\n";
  assert.equal(ignored(yaml({ task: "vqa", run: files })), []);
});
k.run();
