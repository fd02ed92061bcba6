import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildPlan, stepMemoryWarning } from "../../src/compiler/plan.js";
import { planDevice } from "../../src/compiler/planDevice.js";
import { BACKEND_PACKAGES, type DeviceProbe } from "../../src/runtime/backend/deviceChoice.js";
import { renderPlanText } from "../../src/compiler/planText.js";
import { renderPlanHtml } from "../../src/report/planReport.js";
import { taskFacts } from "../../src/semantic/facts.js";
import { loadStdlib } from "../../src/project/stdlib.js";
import { replicasOverMemory } from "../../src/compiler/planReplicas.js";
import { modelConfigOf } from "../harness/modelConfig.js";
import { bertParams, estimateParams, sizesOf, vitParams } from "../../src/compiler/paramCount.js";
import { captioning, compile, edit, retrievalWithFiles } from "./harness.js";
import { writeRetrievalSplits } from "./rules/fixtures.js";

const b = suite("plan: device");
const probe = (pkgs: string[], adapters: DeviceProbe["adapters"] = { found: [], problems: [] }): DeviceProbe => ({ has: (n) => pkgs.includes(n), adapters });
const WASM = [BACKEND_PACKAGES.wasm];
const LLVMPIPE = { name: "llvmpipe (OpenGL ES 3.2 Mesa 22.3.6)", software: true, api: "opengles" };
const RTX = { name: "NVIDIA GeForce RTX 4090", software: false, api: "vulkan" };
const WEBGPU = ["webgpu", BACKEND_PACKAGES.webgpu];
b("cuda needs tfjs-node-gpu: without it the plan says the run stops, and what to do", () => {
  assert.is(planDevice("cuda", probe([BACKEND_PACKAGES["tensorflow-gpu"], ...WASM])).backend, "tensorflow-gpu");
  const none = planDevice("cuda", probe([BACKEND_PACKAGES.tensorflow, ...WASM]));
  assert.is(none.backend, null);
  assert.match(none.error!.message, /not installed/);
  assert.match(none.error!.hint, /recipe\.device=webgpu/);
});
b("cpu uses tfjs-node if installed, else wasm (saying so)", () => {
  assert.is(planDevice("cpu", probe([BACKEND_PACKAGES.tensorflow, ...WASM])).backend, "tensorflow");
  const wasm = planDevice("cpu", probe(WASM));
  assert.is(wasm.backend, "wasm");
  assert.match(wasm.notes.join(" "), /tfjs-node is not installed/);
});
b("auto: tfjs-node-gpu, then a hardware WebGPU adapter, then tfjs-node, then wasm; never a software adapter", () => {
  assert.is(planDevice("auto", probe([BACKEND_PACKAGES["tensorflow-gpu"], BACKEND_PACKAGES.tensorflow, ...WASM, ...WEBGPU], { found: [RTX], problems: [] })).backend, "tensorflow-gpu");
  const gpu = planDevice("auto", probe([BACKEND_PACKAGES.tensorflow, ...WASM, ...WEBGPU], { found: [RTX, LLVMPIPE], problems: [] }));
  assert.is(gpu.backend, "webgpu");
  assert.match(gpu.device!, /NVIDIA GeForce RTX 4090/);
  assert.match(gpu.reason!, /tfjs-node-gpu is not installed/);
  const soft = planDevice("auto", probe([...WASM, ...WEBGPU], { found: [LLVMPIPE], problems: [] }));
  assert.is(soft.backend, "wasm");
  assert.match(soft.reason!, /only WebGPU adapter is a software one \(llvmpipe.*never uses/);
  assert.is(planDevice("auto", probe([BACKEND_PACKAGES.tensorflow, ...WASM])).backend, "tensorflow");
});
b("webgpu: the adapter by name; a software adapter only because it was asked for; none is an error with what to install", () => {
  const soft = planDevice("webgpu", probe([...WASM, ...WEBGPU], { found: [LLVMPIPE], problems: [] }));
  assert.is(soft.backend, "webgpu");
  assert.match(soft.device!, /llvmpipe.*software adapter/);
  assert.match(soft.notes.join(" "), /software adapter/);
  const none = planDevice("webgpu", probe([...WASM, ...WEBGPU], { found: [], problems: ["vulkan: the Vulkan loader libvulkan.so.1 is not installed"] }));
  assert.is(none.backend, null);
  assert.match(none.error!.message, /no WebGPU adapter.*libvulkan/);
  assert.match(none.error!.hint, /libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri/);
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
s("runner_iter: a max_iters that is not a multiple runs a whole last inner epoch, at the scheduler's max_epoch", () => {
  // RunnerIter: range(0, 250, 100) is 3 inner epochs of 100; the scheduler's max_epoch is int(250 / 100) = 2.
  const src = edit(captioning, "min_len = 5", "min_len = 5\n    runner = runner_iter\n    max_iters = 250\n    iters_per_inner_epoch = 100");
  const plan = buildPlan(compile(src).graph);
  assert.is(plan.steps?.total, 300);
  assert.is(plan.steps?.epochs, 3);
  assert.is(plan.steps?.totalText, "300 (3 whole inner epochs of 100; max_iters is 250)");
  assert.is(plan.lr?.epochs.length, 3);
  assert.is(plan.lr?.epochs[2]?.start, compile(src).graph.run.schedule.minLr);
  // RunnerIter.train saves checkpoint_<iters> only without validation splits; validating on val keeps checkpoint_best.
  assert.is(plan.storage.checkpointFiles, 1, "checkpoint_best only");
  assert.is(compile(src).graph.run.testWeights, "last", "the stdlib's runner_iter: RunnerIter tests the last weights");
  const text = renderPlanText(plan);
  assert.match(text, /test test \(coco_caption\), after training, with the last weights \(runner_iter never reloads checkpoint_best\)/);
  assert.not.match(text, /checkpoint_<iters>/);
  const unvalidated = buildPlan(compile(edit(src, "valid_splits = [val]", "valid_splits = []")).graph);
  assert.is(unvalidated.storage.checkpointFiles, 3, "checkpoint_100, _200, _300");
  assert.match(renderPlanText(unvalidated), /checkpoint_<iters>/);
  // range(0, 50, 100): one inner epoch of 100.
  const short = buildPlan(compile(edit(src, "max_iters = 250", "max_iters = 50")).graph);
  assert.equal([short.steps?.total, short.steps?.epochs, short.lr?.epochs.length], [100, 1, 1]);
});
s("evaluation-only runs have no steps and no lr", () => {
  const plan = buildPlan(compile(edit(captioning, "min_len = 5", "min_len = 5\n    evaluate = true")).graph);
  assert.is(plan.mode, "evaluate");
  assert.is(plan.steps, null);
  assert.is(plan.lr, null);
  assert.equal(plan.evaluation.map((e) => e.split), ["test"]);
  assert.is(plan.replicas, null);
});
s("an evaluation-only run says what it does not evaluate: its valid_splits (train.py's), and that nothing is when test_splits is empty", () => {
  const evaluating = edit(captioning, "min_len = 5", "min_len = 5\n    evaluate = true");
  const valid = 'not evaluated: valid_splits ["val"] (an evaluation-only run evaluates test_splits only, as LAVIS\'s evaluate.py does; LAVIS\'s train.py would evaluate them first)';
  assert.equal(buildPlan(compile(evaluating).graph).notEvaluated, [valid]);
  const none = buildPlan(compile(evaluating.replace("test_splits = [test]", "test_splits = []")).graph);
  assert.equal(none.evaluation, []);
  const text = renderPlanText(none);
  assert.ok(text.includes(`\nevaluation\n  none: an evaluation-only run evaluates its test_splits, and test_splits is []: nothing is evaluated, and no result written\n  ${valid}\n`), text);
  assert.equal(buildPlan(compile(captioning).graph).notEvaluated, [], "a training run validates its valid_splits");
});
s("an evaluation-only run with world_size 2 shares its test splits between two replicas, and says so", () => {
  const plan = buildPlan(compile(edit(captioning, "min_len = 5", "min_len = 5\n    evaluate = true\n    world_size = 2")).graph);
  assert.is(plan.replicas?.worldSize, 2);
  assert.is(plan.replicas?.evaluateOnly, true);
  const text = renderPlanText(plan);
  assert.match(text, /2 replicas in 2 threads \(\d+ cores here\) share the test splits; no training/);
  assert.match(text, /evaluation: each rank evaluates 1\/2 of each valid\/test split/);
  assert.not.match(text, /per replica/);
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
p("plan names runner_base's validations by epoch, every val_freq, the first and last ones of many", () => {
  const names = (src: string) => buildPlan(compile(src).graph).outputs.files.filter((f) => f.includes("/result/val_"));
  const every2 = names(edit(edit(captioning, "max_epoch = 5", "max_epoch = 20"), "min_len = 5", "min_len = 5\n    val_freq = 2"));
  assert.equal(every2.map((f) => f.replace(/^.*result\//, "")), [
    "val_epoch0.json", "val_epoch2.json", "val_epoch4.json",
    "val_epoch<epoch>.json (5 more, one every 2 epochs: <epoch> from 6 to 14 in steps of 2)",
    "val_epoch16.json", "val_epoch18.json",
  ]);
});
p("archs that are not modelled are unknown", () => {
  assert.is(estimateParams("albef_retrieval", modelConfigOf({ arch: "albef_retrieval", model_type: "coco" })), null);
  // A BLIP-family config without the stdlib's sizes (not from the compiler) is unknown too, never guessed.
  assert.is(estimateParams("blip_caption", { vit_type: "base" }), null);
});
p("plan text names weights, job files and metrics", () => {
  const text = renderPlanText(buildPlan(compile(captioning).graph, { devices: probe(WASM) }));
  assert.match(text, /cuda: cannot run: device "cuda" needs @tensorflow\/tfjs-node-gpu/);
  assert.match(text, /loads weights: https:\/\/\S+model_base_capfilt_large\.pth/);
  assert.match(text, /output\/cap\/<job_id>\/log\.txt/);
  assert.match(text, /output\/cap\/<job_id>\/report\.html/);
  // runner_base validates after every epoch (val_freq 1) of the 5: each name, not a placeholder.
  for (let e = 0; e < 5; e++) assert.match(text, new RegExp(`output/cap/<job_id>/result/val_epoch${e}\\.json`));
  assert.not.match(text, /val_epoch<epoch>/);
  assert.match(text, /output\/cap\/<job_id>\/result\/test_epochbest\.json/);
  assert.match(text, /agg_metrics = CIDEr \+ Bleu_4/);
  assert.match(text, /parameters: 224\.0M/);
});
p("plan shows the training forward pass's dropout: the med config's rates, vit_type large's drop-path, none in evaluation", () => {
  const text = renderPlanText(buildPlan(compile(captioning).graph, { devices: probe(WASM) }));
  assert.match(text, /dropout in training: text hidden states 0\.1, attention probabilities 0\.1; no ViT drop-path; evaluation drops nothing/);
  const large = buildPlan(compile(edit(captioning, "load_finetuned = false", "load_finetuned = false\n    vit_type = large")).graph, { devices: probe(WASM) });
  assert.equal(large.model.dropout, { textHidden: 0.1, textAttention: 0.1, vitDropPath: 0.1, vitDepth: 24 });
  assert.match(renderPlanText(large), /ViT drop-path 0 at block 1 rising to 0\.1 at block 24/);
  const off = compile(edit(captioning, "load_finetuned = false", "load_finetuned = false\n    text_hidden_dropout = 0\n    text_attention_dropout = 0")).graph;
  assert.match(renderPlanText(buildPlan(off, { devices: probe(WASM) })), /dropout in training: none \(text_hidden_dropout, text_attention_dropout and vit_drop_path are 0\)/);
  const evaluate = buildPlan(compile(edit(captioning, "min_len = 5", "min_len = 5\n    evaluate = true")).graph, { devices: probe(WASM) });
  assert.is(evaluate.model.dropout, null);
  assert.not.match(renderPlanText(evaluate), /dropout in training/);
});
p("captioning: the metrics this engine reports, and METEOR and SPICE as LAVIS's engine's only (text, JSON, html)", () => {
  const plan = buildPlan(compile(captioning).graph, { devices: probe(WASM) });
  const val = plan.evaluation.find((e) => e.role === "valid")!;
  assert.equal(val.metrics, ["Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr", "agg_metrics"]);
  assert.equal(val.lavisOnlyMetrics, { metrics: ["METEOR", "SPICE"], why: "pycocoevalcap runs them in Java" });
  const text = renderPlanText(plan);
  assert.match(text, /metrics: Bleu_1, Bleu_2, Bleu_3, Bleu_4, ROUGE_L, CIDEr, agg_metrics;/);
  assert.match(text, /LAVIS's engine only: METEOR, SPICE \(the tfjs engine does not compute them: pycocoevalcap runs them in Java; `lavisc run --engine lavis` reports them\)/);
  assert.match(renderPlanHtml(plan, compile(captioning).graph.run, text), /engine only: METEOR, SPICE/);
  // The stdlib keeps LAVIS's list.
  assert.ok(taskFacts(loadStdlib().registry, "captioning").metrics.includes("SPICE"));
  // A task whose metrics the engine all computes says nothing more.
  const retrieval = buildPlan(compile(retrievalWithFiles("/nonexistent")).graph, { devices: probe(WASM) });
  assert.ok(retrieval.evaluation.every((e) => e.lavisOnlyMetrics === null && e.metrics.includes("r_mean")));
  assert.not.match(renderPlanText(retrieval), /engine only/);
});
p("plan says where the vocabulary comes from and how many threads decode the images (never silent)", () => {
  const text = renderPlanText(buildPlan(compile(captioning).graph, { devices: probe(WASM) }));
  assert.match(text, /\n {2}vocabulary: a WordPiece vocabulary built from the training texts when the run starts \(model\.vocab_file is null, at most vocab_size 30524 tokens; the run log gives its size\)\n/);
  assert.match(text, /\n {2}image decoding: 1 worker thread \(the default of lavisc run; --workers N changes it, 0 decodes on the main thread\); run\.num_workers 4 is LAVIS's DataLoader worker processes per GPU, which the tfjs engine does not read\n/);
  const dir = mkdtempSync(join(tmpdir(), "lavisc-plan-vocab-"));
  writeFileSync(join(dir, "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\ncircle\n");
  const own = edit(captioning, "load_finetuned = false", `load_finetuned = false\n    vocab_file = "${dir}/vocab.txt"`);
  assert.match(renderPlanText(buildPlan(compile(own).graph, { devices: probe(WASM) })), new RegExp(`vocabulary: model\\.vocab_file ${dir}/vocab\\.txt \\(6 lines\\)`));
  const resumed = edit(captioning, "max_epoch = 5", 'max_epoch = 5\n    resume_ckpt_path = "/runs/checkpoint_2.json"');
  assert.match(buildPlan(compile(resumed).graph, { devices: probe(WASM) }).model.vocabulary, /^vocabulary: the one saved in \/runs\/checkpoint_2\.json when it holds one \(a lavisc checkpoint does\), else a WordPiece vocabulary built/);
});
// RunnerIter names a validation "{train_loader.epoch}_iters={end_iters}" (runner_iter.py @cd4db98): plan computes the
// loader epoch from the counted training records (100 records in batches of 32: 3 batches a pass, IterLoader's epoch
// floor((iters - 1) / 3)), where it had printed <loader_epoch>; ten validations show the first three, one line for the
// rest and the last two; without a count the placeholder stays and a note says why.
const iterCaptioning = (maxIters: number) => edit(captioning, "min_len = 5", `min_len = 5\n    runner = runner_iter\n    max_iters = ${maxIters}\n    iters_per_inner_epoch = 100`);
const hundredRecords = () => JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ image: `${i}.jpg`, caption: "a shape", image_id: String(i) })));
const resultNames = (files: readonly string[]) => files.filter((f) => f.includes("/result/")).map((f) => f.replace(/^.*\/result\//, ""));
p("runner_iter: the loader epoch in the result names, computed from the training split's size", () => {
  const plan = buildPlan(compile(iterCaptioning(300)).graph, { devices: probe(WASM), read: hundredRecords });
  assert.equal(plan.steps?.trainRecords, { "coco_caption/train": 100 });
  assert.equal(resultNames(plan.outputs.files), ["val_epoch33_iters=100.json", "val_epoch66_iters=200.json", "val_epoch99_iters=300.json", "test_epoch99.json"]);
  assert.match(plan.outputs.notes.join("\n"), /the passes of 3 batches over the training data finished by then/);
  const many = buildPlan(compile(iterCaptioning(1000)).graph, { devices: probe(WASM), read: hundredRecords });
  assert.equal(resultNames(many.outputs.files), [
    "val_epoch33_iters=100.json", "val_epoch66_iters=200.json", "val_epoch99_iters=300.json",
    "val_epoch<loader_epoch>_iters=<iters>.json (5 more, one per inner epoch: <iters> from 400 to 800 in steps of 100, <loader_epoch> from 133 to 266)",
    "val_epoch299_iters=900.json", "val_epoch333_iters=1000.json", "test_epoch333.json",
  ]);
  const unknown = buildPlan(compile(iterCaptioning(300)).graph, { devices: probe(WASM), read: () => null });
  assert.equal(resultNames(unknown.outputs.files), ["val_epoch<loader_epoch>_iters=100.json", "val_epoch<loader_epoch>_iters=200.json", "val_epoch<loader_epoch>_iters=300.json", "test_epoch<loader_epoch>.json"]);
  assert.match(renderPlanText(unknown), /\n {2}note: the train loader's epoch in the result names \(RunnerIter's train_loader\.epoch\) is <loader_epoch> here, filled in by the run: the records of coco_caption\/train are not counted \(see steps\)\n/);
  // runner_base names by its own epoch: no loader epoch, no note.
  assert.equal(buildPlan(compile(captioning).graph, { devices: probe(WASM), read: hundredRecords }).outputs.notes, []);
});
p.run();

const r = suite("plan: data-parallel replicas");
r("world_size 2: DistributedSampler's ceil(N / 2) records per replica, in batches of batch_size_train", () => {
  const dir = writeRetrievalSplits({ train: 10, val: 3, test: 3 });
  const plan = buildPlan(compile(edit(retrievalWithFiles(dir), "batch_size_train = 4", "batch_size_train = 4\n    world_size = 2")).graph, { machine: { cores: 2, memoryBytes: 2 ** 40 } });
  assert.is(plan.steps?.perEpoch, 1);
  assert.equal(plan.replicas, { worldSize: 2, evaluateOnly: false, perReplicaBatch: 4, globalBatch: 8, cores: 2, seed: plan.replicas!.seed, evaluation: plan.replicas!.evaluation, warnings: [] });
  const text = renderPlanText(plan);
  assert.match(text, /2 replicas in 2 threads \(2 cores here\), batch 4 per replica, 8 per step/);
  assert.match(text, /evaluation: every rank embeds the whole split and re-ranks 1\/2 of the ITM rows \(LAVIS's compute_sim_matrix\)/);
  assert.match(text, new RegExp(`rank r seeds its random streams .* with seed \\+ r = ${plan.replicas!.seed}\\.\\.${plan.replicas!.seed + 1}, as LAVIS's setup_seeds`));
  const formula = buildPlan(compile(edit(retrievalWithFiles("/nonexistent"), "batch_size_train = 4", "batch_size_train = 4\n    world_size = 2")).graph);
  assert.is(formula.steps?.perEpochText, "floor(ceil(N_train / 2) / 4)");
});
r("world_size 2: captioning's valid/test splits are sharded (use_dist_eval_sampler), or evaluated by rank 0 alone when it is false", () => {
  const src = edit(captioning, "batch_size_train = 32", "batch_size_train = 32\n    world_size = 2");
  const sharded = renderPlanText(buildPlan(compile(src).graph, { machine: { cores: 2, memoryBytes: 2 ** 40 } }));
  assert.match(sharded, /evaluation: each rank evaluates 1\/2 of each valid\/test split \(run.use_dist_eval_sampler, a DistributedSampler without padding\)/);
  const alone = renderPlanText(buildPlan(compile(edit(src, "world_size = 2", "world_size = 2\n    use_dist_eval_sampler = false")).graph, { machine: { cores: 2, memoryBytes: 2 ** 40 } }));
  assert.match(alone, /evaluation: rank 0 evaluates each split alone \(run.use_dist_eval_sampler = false\)/);
});
r("world_size above the cores is a warning, above the memory an error (run refuses it), with the numbers; distributed = false is one replica", () => {
  const src = edit(retrievalWithFiles("/nonexistent"), "batch_size_train = 4", "batch_size_train = 4\n    world_size = 8");
  const plan = buildPlan(compile(src).graph, { machine: { cores: 2, memoryBytes: 1024 } });
  assert.equal(plan.replicas?.warnings.map((w) => w.code), ["LV6003", "LV6004"]);
  const text = renderPlanText(plan);
  assert.match(text, /warning LV6003: `world_size` is 8, but this machine runs 2 threads at once .* about 4\.0x as long/);
  assert.equal(plan.replicas?.warnings.map((w) => w.severity), ["warning", "error"]);
  assert.match(text, /error LV6004: `world_size` 8 starts 8 replicas, each a copy of the model in its own thread: about [\d.]+ GiB in all, .* this machine has 0\.00 GiB of memory, so `lavisc run` does not start them/);
  assert.is(buildPlan(compile(edit(src, "world_size = 8", "world_size = 8\n    distributed = false")).graph).replicas, null);
});
r("each replica's thread counts (about 40 MiB) even when the model's step is unknown; the hint names a world_size that fits", () => {
  const machine = { cores: 64, memoryBytes: 2 ** 30 };
  const none = replicasOverMemory(8, null, machine);
  assert.is(none, null, "8 threads of 40 MiB fit in 1 GiB");
  const many = replicasOverMemory(100, null, machine)!;
  assert.is(many.code, "LV6004");
  assert.match(many.message, /about 3\.91 GiB in all, per replica a training step of unknown size plus about 0\.04 GiB/);
  assert.match(many.hint ?? "", /Lower world_size to 25 or fewer/);
});
r("one replica whose training step needs more than the machine's memory is LV6005; the momentum queues are in the estimate", () => {
  const src = retrievalWithFiles("/nonexistent");
  const roomy = buildPlan(compile(src).graph, { machine: { cores: 2, memoryBytes: 2 ** 40 } });
  assert.is(roomy.model.memoryWarning, null);
  assert.not.match(renderPlanText(roomy), /memory per training step: unknown/, "the estimate is known");
  const queues = roomy.model.memory!.queuesBytes;
  assert.ok(queues > 0, "blip_retrieval keeps momentum queues");
  const longer = buildPlan(compile(src, { sets: ["model.queue_size=1000000000"] }).graph, { machine: { cores: 2, memoryBytes: 2 ** 34 } });
  assert.ok(longer.model.memory!.queuesBytes > 2 ** 35, `${longer.model.memory!.queuesBytes} bytes of queues`);
  assert.is(longer.model.memoryWarning?.code, "LV6005");
  const text = renderPlanText(longer);
  assert.match(text, /memory per training step \(fp32 estimate\): [\d.]+ GiB = .* \+ queues [\d.]+ GiB/);
  assert.match(text, /warning LV6005: A training step needs about [\d.]+ GiB \(fp32 estimate, the momentum queues [\d.]+ GiB\), and this machine has 16\.00 GiB of memory/);
  // On the wasm backend the limit is its 32-bit heap, however much the machine has.
  const wasm = buildPlan(compile(src, { sets: ["model.queue_size=20000000", "recipe.device=wasm"] }).graph, { machine: { cores: 2, memoryBytes: 2 ** 40 } });
  assert.match(wasm.model.memoryWarning?.message ?? "", /and the wasm backend's heap can hold at most 4\.00 GiB \(32-bit WebAssembly memory\), whatever the machine's 1024\.00 GiB/);
  // `lavisc run` prints the same warning before it starts.
  const runSpec = compile(src, { sets: ["model.queue_size=20000000", "recipe.device=wasm"] }).graph.run;
  assert.is(stepMemoryWarning(runSpec, { cores: 2, memoryBytes: 2 ** 40 })?.message, wasm.model.memoryWarning?.message);
  assert.is(stepMemoryWarning(compile(src).graph.run, { cores: 2, memoryBytes: 2 ** 40 }), null);
});
r.run();
