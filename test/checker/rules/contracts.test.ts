import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose, edit } from "../harness.js";
import { loadStdlib } from "../../../src/project/stdlib.js";
import { answerListSource, rankingWithoutAnswerList, taskEvaluation, vqaInferenceMethods } from "../../../src/checker/rules/contractData.js";

// Rules built on the data contracts and facts of stdlib/contracts.lv that the reported-mistakes catalog
// (test/conformance/reported/) does not exercise: each fires on the smallest LAVIS YAML that has the problem, and not
// on its correction.

const yaml = (model: string, datasets: string, run: string) => `model:\n${model}\ndatasets:\n${datasets}\nrun:\n${run}\n`;
const found = (src: string) => codes(src, { name: "/virtual/exp.yaml", withPath: true }).map((c) => `${c.code} ${c.path}`);

const BLIP_CAPTION = "  arch: blip_caption\n  model_type: base_coco\n  load_finetuned: False";
const COCO_CAPTION = "  coco_caption:\n    vis_processor:\n      train:\n        name: blip_image_train\n      eval:\n        name: blip_image_eval\n    text_processor:\n      train:\n        name: blip_caption\n      eval:\n        name: blip_caption";
const TRAIN = (extra: string) => `  task: captioning\n  init_lr: 1e-5\n  min_lr: 0\n  max_epoch: 2\n  batch_size_train: 16\n  batch_size_eval: 16\n  output_dir: out\n  train_splits: ["train"]\n${extra}`;

const t = suite("rules: data contracts, sizes and evaluation splits");

t("a model reading a key the data does not yield, and the same model on data that does", () => {
  const t5 = "  arch: blip2_t5\n  model_type: pretrain_flant5xl\n  load_pretrained: True";
  const pre = (ds: string) => yaml(t5, `  ${ds}:\n    vis_processor:\n      train:\n        name: blip2_image_train\n        image_size: 224\n    text_processor:\n      train:\n        name: blip_caption`,
    "  task: image_text_pretrain\n  init_lr: 1e-4\n  min_lr: 1e-5\n  max_epoch: 1\n  batch_size_train: 8\n  batch_size_eval: 8\n  output_dir: out\n  train_splits: [\"train\"]");
  assert.equal(found(pre("coco_caption")), ["LV4051 model.arch", "LV4050 datasets.coco_caption"]);
  // LAVIS has no task-vs-model rule in training: FlanT5 pre-training on data with text_output checks clean.
  assert.equal(found(pre("coco_caption_instruct")), []);
});

t("LV4050 for a field a task reads through a recipe key points at that key as well (sample_id_key)", () => {
  const src = yaml(BLIP_CAPTION, COCO_CAPTION, TRAIN('  valid_splits: ["val"]\n  sample_id_key: img_id'));
  const d = diagnose(src, { name: "/virtual/exp.yaml" }).diags.find((x) => x.code === "LV4050");
  assert.ok(d, "LV4050");
  assert.ok(d!.related?.some((r) => r.message === "`sample_id_key` names `img_id` as the field to read"), JSON.stringify(d!.related));
  // Left to the task's default, the key is not the user's to blame, and the data has the default field.
  assert.not.ok(found(yaml(BLIP_CAPTION, COCO_CAPTION, TRAIN('  valid_splits: ["val"]'))).some((c) => c.startsWith("LV4050")));
});

t("GQATask and AOKVQATask read their ground truth from each evaluation batch (vqa.py @7a08d0c: `answer`, `direct_answers`)", () => {
  const t5 = "  arch: blip2_t5\n  model_type: pretrain_flant5xl\n  image_size: 384";
  const data = (ds: string, type = "") => `  ${ds}:\n${type ? `    type: ${type}\n` : ""}    vis_processor:\n      eval:\n        name: blip_image_eval\n    text_processor:\n      eval:\n        name: blip_question`;
  const run = (task: string) => `  task: ${task}\n  batch_size_train: 8\n  batch_size_eval: 8\n  inference_method: generate\n  output_dir: out\n  evaluate: True\n  test_splits: ["val"]`;
  const check = (ds: string, task: string, type?: string) => diagnose(yaml(t5, data(ds, type), run(task)), { name: "/virtual/exp.yaml" }).diags;
  const gaps = (ds: string, task: string, type?: string) => check(ds, task, type).filter((d) => d.code === "LV4050").map((d) => d.message);
  // COCOVQAEvalDataset's batches have neither: GQATask.valid_step stops at samples["answer"], AOKVQATask's at samples["direct_answers"].
  assert.equal(gaps("coco_vqa", "gqa"), ["The `val` batches of dataset `coco_vqa` have no `answer`, which task `gqa` reads when evaluating."]);
  assert.equal(gaps("coco_vqa", "aok_vqa"), ["The `val` batches of dataset `coco_vqa` have no `direct_answers`, which task `aok_vqa` reads when evaluating."]);
  // GQAEvalDataset's have the answer, AOKVQAEvalDataset's the direct answers (aok_vqa and aok_vqa_instruct alike).
  assert.equal(check("gqa", "gqa", "balanced_testdev").map((d) => d.code), []);
  assert.equal(gaps("aok_vqa", "aok_vqa"), []);
});

t("A-OKVQA's training batches: AOKVQAInstructDataset adds text_output, AOKVQADataset has none (aok_vqa_datasets.py @ac8fc98)", () => {
  const t5 = "  arch: blip2_t5\n  model_type: pretrain_flant5xl\n  load_pretrained: True";
  const train = (ds: string) => yaml(t5, `  ${ds}:\n    vis_processor:\n      train:\n        name: blip2_image_train\n        image_size: 224\n    text_processor:\n      train:\n        name: blip_question`,
    "  task: vqa\n  init_lr: 1e-4\n  min_lr: 1e-5\n  max_epoch: 1\n  batch_size_train: 8\n  batch_size_eval: 8\n  output_dir: out\n  train_splits: [\"train\"]\n  valid_splits: []");
  assert.ok(found(train("aok_vqa")).includes("LV4050 datasets.aok_vqa"), found(train("aok_vqa")).join("\n"));
  assert.not.ok(found(train("aok_vqa_instruct")).some((c) => /LV405[01]/.test(c)), found(train("aok_vqa_instruct")).join("\n"));
});

t("builders and archs without a contract are not judged", () => {
  const src = yaml("  arch: blip2_t5\n  model_type: pretrain_flant5xl",
    "  vg_vqa:\n    vis_processor:\n      train:\n        name: blip_image_train\n    text_processor:\n      train:\n        name: blip_question",
    "  task: vqa\n  init_lr: 1e-4\n  min_lr: 1e-5\n  max_epoch: 1\n  batch_size_train: 8\n  batch_size_eval: 8\n  output_dir: out\n  train_splits: [\"train\"]");
  assert.equal(found(src).filter((c) => /LV403[01]/.test(c)), []);
});

t("LV4054: gradient accumulation longer than an epoch (runner_iter)", () => {
  const run = (accum: number) => TRAIN(`  runner: runner_iter\n  max_iters: 100\n  iters_per_inner_epoch: 10\n  accum_grad_iters: ${accum}`);
  assert.ok(found(yaml(BLIP_CAPTION, COCO_CAPTION, run(16))).includes("LV4054 run.accum_grad_iters"));
  assert.not.ok(found(yaml(BLIP_CAPTION, COCO_CAPTION, run(4))).includes("LV4054 run.accum_grad_iters"));
});

t("LV4066: max_iters not a multiple of iters_per_inner_epoch", () => {
  const run = (max: number) => TRAIN(`  runner: runner_iter\n  max_iters: ${max}\n  iters_per_inner_epoch: 1000`);
  assert.ok(found(yaml(BLIP_CAPTION, COCO_CAPTION, run(2500))).includes("LV4066 run.max_iters"));
  assert.not.ok(found(yaml(BLIP_CAPTION, COCO_CAPTION, run(3000))).includes("LV4066 run.max_iters"));
  // RunnerIter: range(0, 2500, 1000) runs 3 whole inner epochs, 3000 iterations; the scheduler's max_epoch is 2.
  const message = (max: number) => diagnose(yaml(BLIP_CAPTION, COCO_CAPTION, run(max)), { name: "/virtual/exp.yaml" }).diags.find((d) => d.code === "LV4066")?.message ?? "";
  assert.match(message(2500), "runs whole inner epochs, 3 of them, so it trains 3000 iterations, 500 more than max_iters");
  assert.match(message(2500), "max_epoch = int(max_iters / iters_per_inner_epoch) = 2, one fewer");
  // Below one inner epoch: range(0, 500, 1000) is one whole inner epoch of 1000, which LAVIS runs (no LV4001).
  assert.equal(found(yaml(BLIP_CAPTION, COCO_CAPTION, run(500))).filter((c) => /LV4066|LV4001/.test(c)), ["LV4066 run.max_iters"]);
  assert.match(message(500), "1 of them, so it trains 1000 iterations, 500 more than max_iters; that one inner epoch is the lr scheduler's epoch 0");
});

t("LV4055: a captioning split scored against another split's ground truth, or with no Karpathy file", () => {
  const nocaps = "  nocaps:\n    vis_processor:\n      eval:\n        name: blip_image_eval\n    text_processor:\n      eval:\n        name: blip_caption";
  const evalRun = (splits: string, more = "") => `  task: captioning\n  batch_size_eval: 16\n  output_dir: out\n  evaluate: True\n  test_splits: ${splits}\n${more}`;
  // nocaps_eval.yaml with report_metric true: `test` is scored against the ground truth built from `val`.
  assert.ok(found(yaml(BLIP_CAPTION, nocaps, evalRun('["val", "test"]'))).includes("LV4055 run.test_splits"));
  assert.not.ok(found(yaml(BLIP_CAPTION, nocaps, evalRun('["val", "test"]', "  report_metric: False"))).includes("LV4055 run.test_splits"));
  assert.not.ok(found(yaml(BLIP_CAPTION, nocaps, evalRun('["test"]', '  valid_splits: ["test"]'))).includes("LV4055 run.test_splits"));
});

t("LV4057: url and storage lists of different lengths", () => {
  const ds = (storage: string) => `${COCO_CAPTION}\n    build_info:\n      annotations:\n        train:\n          url: [https://example.org/a.json, https://example.org/b.json]\n          storage: ${storage}`;
  assert.ok(found(yaml(BLIP_CAPTION, ds("[coco/a.json]"), TRAIN(""))).includes("LV4057 datasets.coco_caption.build_info.annotations.train.url"));
  assert.not.ok(found(yaml(BLIP_CAPTION, ds("[coco/a.json, coco/b.json]"), TRAIN(""))).some((c) => c.startsWith("LV403")));
});

t("LV4063: a data_type with no media block", () => {
  const ds = (type: string) => `${COCO_CAPTION}\n    data_type: ${type}`;
  assert.ok(found(yaml(BLIP_CAPTION, ds("videos"), TRAIN(""))).includes("LV4063 datasets.coco_caption.data_type"));
  assert.not.ok(found(yaml(BLIP_CAPTION, ds("images"), TRAIN(""))).includes("LV4063 datasets.coco_caption.data_type"));
});

t("LV4064: an evaluation split two datasets provide", () => {
  const flickr = "  flickr30k_caption:\n    vis_processor:\n      train:\n        name: blip_image_train\n      eval:\n        name: blip_image_eval\n    text_processor:\n      train:\n        name: blip_caption\n      eval:\n        name: blip_caption";
  const both = found(yaml(BLIP_CAPTION, `${COCO_CAPTION}\n${flickr}`, TRAIN("")));
  assert.ok(both.includes("LV4064 datasets.flickr30k_caption.build_info.annotations.val"), both.join("\n"));
  assert.ok(both.includes("LV4064 datasets.flickr30k_caption.build_info.annotations.test"));
  assert.not.ok(found(yaml(BLIP_CAPTION, COCO_CAPTION, TRAIN(""))).some((c) => c.startsWith("LV4064")));
});

t("LV4003 only when the run evaluates with the task", () => {
  const caption = (run: string) => yaml(BLIP_CAPTION, COCO_CAPTION.replace("coco_caption", "coco_retrieval"), run);
  // blip_caption cannot compute retrieval's similarity matrix, but training with the retrieval task only calls forward.
  const train = "  task: retrieval\n  init_lr: 1e-5\n  min_lr: 0\n  max_epoch: 1\n  batch_size_train: 8\n  batch_size_eval: 8\n  output_dir: out\n  k_test: 16\n  train_splits: [\"train\"]";
  assert.not.ok(found(caption(train)).includes("LV4003 model.arch"));
  assert.ok(found(caption(`${train}\n  test_splits: ["test"]`)).includes("LV4003 model.arch"));
});

t("required keys per arch: a classifier needs num_classes for its head", () => {
  const snli = "  snli_ve:\n    vis_processor:\n      train:\n        name: blip_image_train\n      eval:\n        name: blip_image_eval\n    text_processor:\n      train:\n        name: blip_caption\n      eval:\n        name: blip_caption";
  const run = "  task: multimodal_classification\n  init_lr: 1e-5\n  min_lr: 0\n  max_epoch: 1\n  batch_size_train: 8\n  batch_size_eval: 8\n  output_dir: out\n  train_splits: [\"train\"]\n  valid_splits: [\"val\"]";
  const model = (extra: string) => `  arch: blip_classification\n  model_type: base${extra}`;
  assert.equal(found(yaml(model(""), snli, run)), ["LV3003 model.num_classes"]);
  // The schema bounds it (int(> 1)): a range error, before the stdlib check that says how LAVIS fails.
  assert.equal(found(yaml(model("\n  num_classes: 1"), snli, run)), ["LV3002 model.num_classes"]);
  assert.equal(found(yaml(model("\n  num_classes: 3"), snli, run)), []);
});

t("a momentum queue that the batch gathered from every rank does not divide (LAVIS asserts it at the first step)", () => {
  const lv = (recipe: string) => codes(edit("batch_size_train = 32", recipe), { withPath: true }).map((c) => `${c.code} ${c.path}`);
  // blip_retrieval(coco): queue_size 57600.
  assert.equal(lv("batch_size_train = 28"), ["LV4001 run.batch_size_train"]);
  assert.equal(lv("batch_size_train = 32\n    world_size = 7"), ["LV4001 run.batch_size_train"], "224 does not divide 57600");
  assert.equal(lv("batch_size_train = 32\n    world_size = 8"), [], "LAVIS's own setting: 256 divides it");
  assert.equal(lv("batch_size_train = 28\n    evaluate = true"), [], "no training, no enqueue");
});

t("LV4071: VQA tasks look up each validation split in every dataset; LV4005 leaves those splits to it", () => {
  const vqa = "  arch: blip_vqa\n  model_type: vqav2\n  load_finetuned: False";
  const ds = (name: string) => `  ${name}:\n    vis_processor:\n      train:\n        name: blip_image_train\n      eval:\n        name: blip_image_eval\n    text_processor:\n      train:\n        name: blip_question\n      eval:\n        name: blip_question`;
  const run = (task: string, extra: string) => `  task: ${task}\n  init_lr: 1e-5\n  min_lr: 0\n  max_epoch: 1\n  batch_size_train: 8\n  batch_size_eval: 8\n  output_dir: out\n  train_splits: ["train"]\n${extra}`;
  const both = `${ds("coco_vqa")}\n${ds("vg_vqa")}`;
  // No valid_splits: the task's own default, val, which vg_vqa (train only) lacks; reported at the dataset.
  assert.equal(found(yaml(vqa, both, run("vqa", ""))).filter((c) => /LV40(05|71)/.test(c)), ["LV4071 datasets.vg_vqa"]);
  // Also when only evaluating: build_datasets runs in evaluate.py too.
  assert.ok(found(yaml(vqa, both, run("vqa", "  evaluate: True\n  test_splits: [\"test\"]"))).includes("LV4071 datasets.vg_vqa"));
  // Named in valid_splits: reported at the item, and once (LV4005 would say the same later in LAVIS's run).
  assert.equal(found(yaml(vqa, ds("ok_vqa"), run("vqa", "  valid_splits: [\"val\"]"))).filter((c) => /LV40(05|71)/.test(c)), ["LV4071 run.valid_splits"]);
  // Splits every dataset has, or none, are looked up without failing.
  assert.not.ok(found(yaml(vqa, both, run("vqa", "  valid_splits: [\"train\"]"))).some((c) => c.startsWith("LV4071")));
  assert.not.ok(found(yaml(vqa, both, run("vqa", "  valid_splits: []"))).some((c) => c.startsWith("LV4071")));
  // AOKVQATask inherits the lookup; GQATask overrides build_datasets and looks up only the splits a dataset has.
  assert.ok(found(yaml(vqa, `${ds("aok_vqa")}\n${ds("vg_vqa")}`, run("aok_vqa", ""))).includes("LV4071 datasets.vg_vqa"));
  assert.not.ok(found(yaml(vqa, both, run("gqa", ""))).some((c) => c.startsWith("LV4071")));
});

t("LV4075: ranking answers with no validation split to take the answer list from", () => {
  const vqa = "  arch: blip_vqa\n  model_type: vqav2\n  load_finetuned: False";
  const ds = "  coco_vqa:\n    vis_processor:\n      train:\n        name: blip_image_train\n      eval:\n        name: blip_image_eval\n    text_processor:\n      train:\n        name: blip_question\n      eval:\n        name: blip_question";
  const run = (extra: string) => `  task: vqa\n  init_lr: 1e-5\n  min_lr: 0\n  max_epoch: 1\n  batch_size_train: 8\n  batch_size_eval: 8\n  output_dir: out\n  train_splits: ["train"]\n  test_splits: ["test"]\n${extra}`;
  const rank = (extra: string) => found(yaml(vqa, ds, run(extra))).filter((c) => c.startsWith("LV4075"));
  assert.equal(rank("  valid_splits: []\n  inference_method: rank"), ["LV4075 run.valid_splits"]);
  assert.equal(rank("  valid_splits: []"), ["LV4075 run.valid_splits"], "rank is the task's default");
  assert.equal(rank("  valid_splits: []\n  inference_method: generate"), []);
  assert.equal(rank("  valid_splits: [\"val\"]"), [], "val lists coco_vqa's answer list");
  // A model that only generates ignores the list (LV4067 says so), and nothing evaluated needs none.
  const t5 = "  arch: blip2_t5\n  model_type: pretrain_flant5xl";
  assert.equal(found(yaml(t5, ds, run("  valid_splits: []"))).filter((c) => c.startsWith("LV4075")), []);
  assert.equal(found(yaml(vqa, ds, run("  valid_splits: []").replace('  test_splits: ["test"]\n', "  test_splits: []\n"))).filter((c) => c.startsWith("LV4075")), []);
  // ALBEF's VQA ranks whatever inference_method says (LV4067 tells a generate that it is ignored).
  const albef = "  arch: albef_vqa\n  model_type: vqav2\n  load_finetuned: False";
  const albefFound = (extra: string) => found(yaml(albef, ds, run(extra))).filter((c) => /LV40(67|75)/.test(c));
  assert.equal(albefFound("  valid_splits: []\n  inference_method: generate").sort(), ["LV4067 run.inference_method", "LV4075 run.valid_splits"]);
  assert.equal(albefFound("  valid_splits: [\"val\"]"), []);
  // Its hint offers no inference_method = "generate", which ALBEF's VQA does not implement.
  const albefHint = diagnose(yaml(albef, ds, run("  valid_splits: []")), { name: "/virtual/exp.yaml" }).diags.find((d) => d.code === "LV4075")!.hint!;
  assert.match(albefHint, /: `albef_vqa` ranks whatever inference_method says\.$/);
  assert.not.match(albefHint, /generate/);
  const blipHint = diagnose(yaml(vqa, ds, run("  valid_splits: []")), { name: "/virtual/exp.yaml" }).diags.find((d) => d.code === "LV4075")!.hint!;
  assert.match(blipHint, /, or set inference_method = "generate"\.$/);
});

// GQATask passes predict_answers self.answer_list like VQATask, but its X-InstructBLIP build_datasets never sets one
// (stdlib task gqa `answer_list { from = none }`): BlipVQA answers gqa by generating, and ranking fails in LAVIS whatever
// the splits, BlipVQA's by inference_method (the task's default "rank"), AlbefVQA's always.
const GQA_DATA = "  gqa:\n    type: balanced_val\n    vis_processor:\n      train:\n        name: blip_image_train\n        image_size: 480\n      eval:\n        name: blip_image_eval\n        image_size: 480\n    text_processor:\n      train:\n        name: blip_question\n      eval:\n        name: blip_question";
const GQA_RUN = (extra: string) => `  task: gqa\n  lr_sched: linear_warmup_cosine_lr\n  init_lr: 2e-5\n  min_lr: 0\n  weight_decay: 0.05\n  max_epoch: 5\n  batch_size_train: 16\n  batch_size_eval: 16\n  max_len: 10\n  min_len: 1\n  num_beams: 3\n  output_dir: out\n  train_splits: ["train"]\n  valid_splits: ["val"]\n  test_splits: []\n${extra}`;
const gqaModel = (arch: string) => `  arch: ${arch}\n  model_type: vqav2\n  load_finetuned: False\n  image_size: 480`;
const gqaDiags = (arch: string, extra: string) => diagnose(yaml(gqaModel(arch), GQA_DATA, GQA_RUN(extra)), { name: "/virtual/exp.yaml" }).diags;

t("blip_vqa fine-tuned and validated on gqa, generating its answers: no error at all (GQATask calls predict_answers, which generates without a list)", () => {
  const d = gqaDiags("blip_vqa", "  inference_method: generate");
  assert.equal(d.filter((x) => x.severity === "error").map((x) => `${x.code} ${x.path}`), []);
  assert.not.ok(d.some((x) => /LV40(03|50|51|67|75)/.test(x.code)), d.map((x) => x.code).join(" "));
});

t("LV4075 under gqa: blip_vqa ranking, asked or by the task's default, at inference_method with LAVIS's assertion and the fix", () => {
  const asked = gqaDiags("blip_vqa", "  inference_method: rank").filter((x) => /LV40(03|67|75)/.test(x.code));
  assert.equal(asked.map((x) => `${x.code} ${x.path}`), ["LV4075 run.inference_method"]);
  assert.is(asked[0]!.message, "`blip_vqa` ranks answers from the answer list that task `gqa` passes it, but the task's build_datasets never takes one: validating `val` stops with `AssertionError: answer_list must be provided for ranking`.");
  assert.is(asked[0]!.hint, "Set inference_method to \"generate\": `blip_vqa` then generates its answers, which needs no answer list.");
  const byDefault = gqaDiags("blip_vqa", "").filter((x) => /LV40(03|67|75)/.test(x.code));
  assert.equal(byDefault.map((x) => `${x.code} ${x.path}`), ["LV4075 run.inference_method"]);
  assert.match(byDefault[0]!.hint ?? "", /^Set inference_method to "generate" \("rank" is the task's default\)/);
  // Testing only: the first evaluation is the test split's. Nothing evaluated: training calls only forward.
  const testing = diagnose(yaml(gqaModel("blip_vqa"), GQA_DATA, GQA_RUN("").replace('  valid_splits: ["val"]\n  test_splits: []', '  valid_splits: []\n  test_splits: ["test"]')), { name: "/virtual/exp.yaml" }).diags.filter((x) => x.code === "LV4075");
  assert.match(testing[0]?.message ?? "", /: testing `test` stops with /);
  const training = diagnose(yaml(gqaModel("blip_vqa"), GQA_DATA, GQA_RUN("").replace('  valid_splits: ["val"]', "  valid_splits: []")), { name: "/virtual/exp.yaml" }).diags;
  assert.not.ok(training.some((x) => /LV40(03|75)/.test(x.code)));
});

t("LV4075 under gqa: albef_vqa always ranks, so it fails whatever inference_method says, at model.arch with its TypeError", () => {
  for (const extra of ["", "  inference_method: rank", "  inference_method: generate"]) {
    const d = gqaDiags("albef_vqa", extra).filter((x) => /LV40(03|75)/.test(x.code));
    assert.equal(d.map((x) => `${x.code} ${x.path}`), ["LV4075 model.arch"], extra);
    assert.is(d[0]!.message, "`albef_vqa` ranks answers from the answer list that task `gqa` passes it, but the task's build_datasets never takes one: validating `val` stops with `TypeError: object of type 'NoneType' has no len()`.");
    assert.match(d[0]!.hint ?? "", /^`albef_vqa` ranks whatever inference_method says\. Evaluate `gqa` with an architecture that generates its answers \(of those for `gqa`: `blip_vqa`, `blip2_t5`, /);
  }
});

t("every task that calls predict_answers says where its answer list comes from, and every arch that ranks how it fails without one", () => {
  const reg = loadStdlib().registry;
  const predicting = [...reg.tasks.keys()].filter((task) => taskEvaluation(reg, task)?.calls === "predict_answers");
  assert.equal(predicting.map((task) => `${task}: ${answerListSource(reg, task)}`), ["vqa: valid_splits", "gqa: none", "aok_vqa: valid_splits"]);
  const ranking = [...reg.archs.keys()].filter((a) => vqaInferenceMethods(reg, a)?.includes("rank"));
  assert.equal(ranking.filter((a) => !rankingWithoutAnswerList(reg, a)), []);
  // Both serve gqa (LAVIS runs them under it; LV4075 says what ranking there does), so LV4003 is not what they get.
  assert.equal(ranking.filter((a) => !reg.tasksOf(reg.archs.get(a)!)?.includes("gqa")), []);
});

t("LV4072: validation splits without val keep no best checkpoint", () => {
  const run = (extra: string) => TRAIN(extra).replace("captioning", "retrieval") + "\n  k_test: 16";
  const retrieval = COCO_CAPTION.replace("coco_caption", "coco_retrieval");
  const model = "  arch: blip_retrieval\n  model_type: coco\n  load_finetuned: False";
  const messages = (extra: string) => diagnose(yaml(model, retrieval, run(extra)), { name: "/virtual/exp.yaml" }).diags.filter((d) => d.code === "LV4072").map((d) => `${d.path}: ${d.message}`);
  assert.equal(messages("  valid_splits: [\"test\"]").length, 1);
  assert.not.match(messages("  valid_splits: [\"test\"]")[0]!, /FileNotFoundError/, "LAVIS tests no split unless the experiment names one");
  assert.match(messages("  valid_splits: [\"test\"]\n  test_splits: [\"test\"]")[0]!, /run\.valid_splits: .*FileNotFoundError/);
  assert.equal(messages("  valid_splits: [\"val\", \"test\"]"), []);
  assert.equal(messages("  valid_splits: [\"test\"]\n  evaluate: True"), [], "no training, no checkpoint");
  // RunnerIter tests the last weights (no reload, no FileNotFoundError) and, validating, saves no checkpoint_<iters>.
  const iter = "  runner: runner_iter\n  max_iters: 10\n  iters_per_inner_epoch: 5\n  valid_splits: [\"test\"]\n  test_splits: [\"test\"]";
  const iterDiags = diagnose(yaml(model, retrieval, run(iter)), { name: "/virtual/exp.yaml" }).diags.filter((d) => d.code === "LV4072");
  assert.equal(iterDiags.length, 1);
  assert.not.match(iterDiags[0]!.message, /FileNotFoundError/, "RunnerIter.train's test phase reloads nothing");
  assert.match(iterDiags[0]!.hint ?? "", /`runner_iter` saves no other checkpoint while it validates, so the run keeps none at all/);
  const baseHint = diagnose(yaml(model, retrieval, run("  valid_splits: [\"test\"]")), { name: "/virtual/exp.yaml" }).diags.find((d) => d.code === "LV4072")?.hint ?? "";
  assert.match(baseHint, /checkpoint_<epoch> files of save_freq and save_last/);
});

t("LV4073: a key that shapes the weights, changed while the model type's own weights load", () => {
  const ret = COCO_CAPTION.replace("coco_caption", "coco_retrieval");
  const run = TRAIN("  k_test: 16").replace("captioning", "retrieval");
  const blip2 = (extra: string) => `  arch: blip2\n  model_type: coco\n  load_finetuned: False${extra}`;
  const shape = (extra: string) => found(yaml(blip2(extra), ret, run)).filter((c) => c.startsWith("LV4073"));
  assert.equal(shape("\n  vit_model: clip_L"), ["LV4073 model.vit_model"]);
  assert.equal(shape("\n  num_query_token: 16"), ["LV4073 model.num_query_token"]);
  assert.equal(shape("\n  vit_model: eva_clip_g\n  num_query_token: 32"), [], "the values the weights were trained with");
  assert.equal(shape("\n  vit_model: clip_L\n  pretrained: /ckpt/my_vitL_qformer.pth"), [], "weights the experiment names itself");
  assert.equal(shape("\n  vit_model: clip_L\n  load_pretrained: False"), [], "no weights loaded");
  // A model type whose weights were trained with clip_L: the mismatch runs the other way.
  const vitL = (extra: string) => found(yaml(`  arch: blip2\n  model_type: pretrain_vitL${extra}`, ret, run)).filter((c) => c.startsWith("LV4073"));
  assert.equal(vitL(""), []);
  assert.equal(vitL("\n  vit_model: eva_clip_g"), ["LV4073 model.vit_model"]);
  // The language model counts by the hidden size the projection into it has (LAVIS#574), known for Hugging Face ids only.
  const cap = COCO_CAPTION.replace(/blip_image_(train|eval)/g, "blip_image_$1\n        image_size: 364");
  const opt = (extra: string) => found(yaml(`  arch: blip2_opt\n  model_type: caption_coco_opt2.7b\n  load_finetuned: False${extra}`, cap, TRAIN(""))).filter((c) => c.startsWith("LV4073"));
  assert.equal(opt("\n  opt_model: facebook/opt-6.7b"), ["LV4073 model.opt_model"]);
  assert.equal(opt("\n  opt_model: /models/opt-6.7b"), [], "a local folder: its width is unknown");
  assert.equal(opt("\n  opt_model: facebook/opt-2.7b"), []);
  const t5 = (extra: string) => found(yaml(`  arch: blip2_t5\n  model_type: pretrain_flant5xl${extra}`, cap, TRAIN(""))).filter((c) => c.startsWith("LV4073"));
  assert.equal(t5("\n  t5_model: google/flan-t5-xxl"), ["LV4073 model.t5_model"]);
});

t.run();
