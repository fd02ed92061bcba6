import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BACKEND_PACKAGES, buildPlan, planBackend } from "../../src/compiler/plan.js";
import { renderPlanText } from "../../src/compiler/planText.js";
import { modelConfigOf } from "../harness/modelConfig.js";
import { bertParams, estimateParams, sizesOf, vitParams } from "../../src/compiler/paramCount.js";
import { captioning, compile, edit, retrievalWithFiles } from "./harness.js";
import { writeRetrievalSplits } from "./rules/fixtures.js";

const only = (...names: string[]) => (n: string) => names.includes(n);

const b = suite("plan: backend");
b("cuda needs tfjs-node-gpu", () => {
  assert.is(planBackend("cuda", only(BACKEND_PACKAGES.gpu, BACKEND_PACKAGES.wasm)).package, BACKEND_PACKAGES.gpu);
  const none = planBackend("cuda", only(BACKEND_PACKAGES.cpu, BACKEND_PACKAGES.wasm));
  assert.is(none.package, null);
  assert.match(none.note!, /not installed/);
});
b("cpu uses tfjs-node if installed, else wasm", () => {
  assert.is(planBackend("cpu", only(BACKEND_PACKAGES.cpu, BACKEND_PACKAGES.wasm)).package, BACKEND_PACKAGES.cpu);
  assert.is(planBackend("cpu", only(BACKEND_PACKAGES.wasm)).package, BACKEND_PACKAGES.wasm);
});
b("auto takes the best available", () => {
  assert.is(planBackend("auto", only(BACKEND_PACKAGES.gpu, BACKEND_PACKAGES.cpu, BACKEND_PACKAGES.wasm)).package, BACKEND_PACKAGES.gpu);
  assert.is(planBackend("auto", only(BACKEND_PACKAGES.cpu, BACKEND_PACKAGES.wasm)).package, BACKEND_PACKAGES.cpu);
  assert.is(planBackend("auto", only(BACKEND_PACKAGES.wasm)).package, BACKEND_PACKAGES.wasm);
});
b.run();

const s = suite("plan: steps and lr");
s("local annotation files give exact steps (the train loader drops the last partial batch)", () => {
  const dir = writeRetrievalSplits({ train: 10, val: 3, test: 3 });
  const plan = buildPlan(compile(retrievalWithFiles(dir)).graph);
  assert.equal(plan.steps?.trainRecords, { "coco_retrieval/train": 10 });
  assert.is(plan.steps?.perEpoch, 2);
  assert.is(plan.steps?.total, 4);
  assert.is(plan.lr?.epochs.length, 2);
});
s("annotation files that are not local give a formula", () => {
  const plan = buildPlan(compile(retrievalWithFiles("/nonexistent")).graph);
  assert.is(plan.steps?.perEpoch, null);
  assert.is(plan.steps?.perEpochText, "floor(N_train / 4)");
  assert.is(plan.steps?.totalText, "2 * floor(N_train / 4)");
});
s("runner_iter: inner epochs of iters_per_inner_epoch steps", () => {
  const src = edit(captioning, "min_len = 5", "min_len = 5\n    runner = runner_iter\n    max_iters = 300\n    iters_per_inner_epoch = 100");
  const plan = buildPlan(compile(src).graph);
  assert.is(plan.steps?.perEpoch, 100);
  assert.is(plan.steps?.total, 300);
  assert.is(plan.lr?.epochs.length, 3);
});
s("evaluation-only runs have no steps and no lr", () => {
  const plan = buildPlan(compile(edit(captioning, "min_len = 5", "min_len = 5\n    evaluate = true")).graph);
  assert.is(plan.mode, "evaluate");
  assert.is(plan.steps, null);
  assert.is(plan.lr, null);
  assert.equal(plan.evaluation.map((e) => e.split), ["test"]);
});
s.run();

const p = suite("plan: parameters, weights, outputs");
p("ViT-B/16 at 224 matches timm's vit_base_patch16_224 without its classifier (86,567,656 - 769,000)", () => {
  assert.is(vitParams(sizesOf(modelConfigOf({ arch: "blip_caption", model_type: "base_coco", image_size: 224 }))!), 85_798_656);
});
p("BERT-base text encoder matches bert-base-uncased without pooler and token types (109,482,240 - 590,592 - 1,536)", () => {
  assert.is(bertParams(sizesOf(modelConfigOf({ arch: "blip_caption", model_type: "base_coco", vocab_size: 30522 }))!, false), 108_890_112);
});
p("BLIP caption base: ViT-B/16 at 384 plus a cross-attending BERT decoder with an LM head", () => {
  const e = estimateParams("blip_caption", modelConfigOf({ arch: "blip_caption", model_type: "base_coco" }))!;
  assert.is(e.total, 223_971_644);
  assert.is(e.trainable, e.total);
  const r = estimateParams("blip_retrieval", modelConfigOf({ arch: "blip_retrieval", model_type: "coco", vit_type: "large" }))!;
  assert.is(r.total - r.trainable, r.parts["momentum_encoders"]);
});
p("ALBEF classification: cross-attention only from fusion_layer on (6 of 12), bert-base-uncased's vocabulary", () => {
  const e = estimateParams("albef_classification", modelConfigOf({ arch: "albef_classification", model_type: "ve" }))!;
  const crossLayer = 2 * (768 * 768 + 768) + 2 * (768 * 768 + 768) + 2 * 768;
  assert.is(e.parts["text_encoder"], 108_890_112 + 6 * crossLayer);
  assert.is(estimateParams("albef_classification", modelConfigOf({ arch: "albef_classification", model_type: "ve", fusion_layer: 0 }))!.parts["text_encoder"], 108_890_112 + 12 * crossLayer);
  assert.is(e.parts["momentum_encoders"], e.parts["visual_encoder"]! + e.parts["text_encoder"]! + e.parts["cls_head"]!);
  assert.is(e.total - e.trainable, e.parts["momentum_encoders"]);
});
p("archs that are not modelled are unknown", () => {
  assert.is(estimateParams("albef_retrieval", modelConfigOf({ arch: "albef_retrieval", model_type: "coco" })), null);
  // A BLIP-family config without the stdlib's sizes (not from the compiler) is unknown too, never guessed.
  assert.is(estimateParams("blip_caption", { vit_type: "base" }), null);
});
p("plan text names weights, job files and metrics", () => {
  const text = renderPlanText(buildPlan(compile(captioning).graph, { hasPackage: only(BACKEND_PACKAGES.wasm) }));
  assert.match(text, /device cuda -> no usable tfjs backend installed/);
  assert.match(text, /loads weights: https:\/\/\S+model_base_capfilt_large\.pth/);
  assert.match(text, /output\/cap\/<job_id>\/log\.txt/);
  assert.match(text, /output\/cap\/<job_id>\/result\/val_epoch\{epoch\}\.json/);
  assert.match(text, /agg_metrics = CIDEr \+ Bleu_4/);
  assert.match(text, /parameters: 224\.0M/);
});
p.run();
