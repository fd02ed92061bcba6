import { modelConfigOf, modelDiagnostics } from "../harness/modelConfig.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runExperiment } from "../../src/runtime/index.js";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import type { DatasetSpec, RunSpec } from "../../src/runtime/runSpec.js";
import type { DataFactory } from "../../src/runtime/train/dataFactory.js";
import type { EvalBatch, TrainBatch } from "../../src/runtime/models/model.js";
import { Clip } from "../../src/runtime/models/clip.js";
import { readClipConfig, type ClipConfig } from "../../src/runtime/models/clipConfig.js";
import { textTowerForward } from "../../src/runtime/models/clipTransformer.js";
import { classPrompts, classWeights } from "../../src/runtime/metrics/zeroShotClassification.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { Rng } from "../../src/runtime/train/rng.js";
import { componentValues } from "./stepValues.js";
import { evaluationNamesOf, noDecayOf } from "../harness/runnerFacts.js";

// Synthetic data: an image's class is its colour; captions name the colour and the shape.
const COLOURS = ["red", "green", "blue", "yellow"];
const SHAPES = ["square", "circle", "stripe", "dot"];
const SIZE = 16;
const IMAGES = 16;

function pixels(i: number): Float32Array {
  const colour = i % 4, shape = Math.floor(i / 4) % 4;
  const rng = new Rng(500 + i);
  const px = new Float32Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) {
    const on = shape === 0 ? x > 3 && x < 12 && y > 3 && y < 12 : shape === 1 ? (x - 8) ** 2 + (y - 8) ** 2 < 25 : shape === 2 ? y % 4 < 2 : x % 4 < 2 && y % 4 < 2;
    for (let c = 0; c < 3; c++) px[(y * SIZE + x) * 3 + c] = (on ? (c === colour % 3 ? 1.5 : -0.5) + (colour === 3 && c < 2 ? 1 : 0) : -1) + 0.1 * rng.normal();
  }
  return px;
}
const caption = (i: number, v: number) => (v === 0 ? `a photo of a ${COLOURS[i % 4]} ${SHAPES[Math.floor(i / 4) % 4]}` : `the ${SHAPES[Math.floor(i / 4) % 4]} is ${COLOURS[i % 4]}`);
const imageTensor = (ids: readonly number[]) => {
  const px = new Float32Array(ids.length * SIZE * SIZE * 3);
  ids.forEach((i, j) => px.set(pixels(i), j * SIZE * SIZE * 3));
  return tf.tensor4d(px, [ids.length, SIZE, SIZE, 3]);
};

const factory: DataFactory = {
  async train(_ds, _split, opts) {
    const n = IMAGES * 2;
    const batchesPerEpoch = Math.floor(n / opts.batchSize);
    return {
      batchesPerEpoch,
      texts: Array.from({ length: n }, (_, r) => caption(r >> 1, r & 1)),
      epoch: (e: number): AsyncIterable<TrainBatch> => ({
        async *[Symbol.asyncIterator]() {
          const order = Rng.derive(opts.seed, e).shuffle(Array.from({ length: n }, (_, r) => r));
          for (let b = 0; b < batchesPerEpoch; b++) {
            const recs = order.slice(b * opts.batchSize, (b + 1) * opts.batchSize);
            yield { image: imageTensor(recs.map((r) => r >> 1)), text: recs.map((r) => caption(r >> 1, r & 1)), imageIds: recs.map((r) => r >> 1) };
          }
        },
      }),
    };
  },
  async retrievalEval() {
    throw new Error("not used");
  },
  async evalSplit(_ds, _split, opts) {
    return {
      extras: { classnames: COLOURS },
      batches: {
        async *[Symbol.asyncIterator](): AsyncGenerator<EvalBatch> {
          for (let s = 0; s < IMAGES; s += opts.batchSize) {
            const ids = Array.from({ length: Math.min(opts.batchSize, IMAGES - s) }, (_, j) => s + j);
            yield { image: imageTensor(ids), text: ids.map(() => ""), imageIds: ids, labels: ids.map((i) => i % 4), instanceIds: ids.map(String) };
          }
        },
      },
    };
  },
};

const MODEL = modelConfigOf({
  arch: "clip", model_type: "tiny", image_size: SIZE, patch_size: 8, vit_width: 32, vit_depth: 1, vit_heads: 2,
  text_width: 32, text_layers: 1, text_heads: 2, embed_dim: 16, max_txt_len: 8, init_std: 0.2, // Prompt ensembling as CLIP's ImageNet templates: the class embedding averages over shapes.
  zero_shot_templates: SHAPES.map((s) => `a photo of a {} ${s}`),
});
const dataset = (name: string, splits: string[]): DatasetSpec => ({
  name, builder: name, type: "default", dataType: "images", format: name.includes("caption") ? "caption" : "classification", imageRoot: "/nonexistent",
  splits: splits.map((split) => ({ split, annotations: [] })), visProcessor: {}, textProcessor: {},
});

function spec(outputDir: string, over: Partial<RunSpec> = {}): RunSpec {
  return {
    version: 1, task: "multimodal_classification", runner: "runner_base", backend: "wasm", seed: 7,
    model: { arch: "clip", modelType: "tiny", config: MODEL, loadWeights: null },
    // Evaluation uses the first dataset that has the split; only the caption dataset has "train".
    datasets: [dataset("synthetic_zeroshot", ["val", "test"]), dataset("synthetic_caption", ["train"])],
    optimizer: { name: "adamw", weightDecay: 0.05, betas: [0.9, 0.999], eps: 1e-8, noDecay: noDecayOf() },
    schedule: { name: "linear_warmup_cosine_lr", initLr: 3e-3, minLr: 1e-5, warmupLr: 1e-4, warmupSteps: 3, decayRate: null, maxEpoch: 24 },
    batchSizeTrain: 8, batchSizeEval: 8, accumGradIters: 1, maxEpoch: 24, maxIters: null, itersPerInnerEpoch: null, trainDatasetRatios: null,
    trainSplits: ["train"], validSplits: ["val"], testSplits: ["test"], evaluate: false, valFreq: 4, saveFreq: -1, saveLast: false,
    outputDir, resumeCkptPath: null, taskParams: {}, config: { model: MODEL, run: { task: "multimodal_classification" } }, evaluationNames: evaluationNamesOf("runner_base"),
    ...over,
  };
}

const root = mkdtempSync(join(tmpdir(), "lavisc-clip-"));
const clock = () => new Date(2024, 0, 18, 14, 37);

function tinyModel(over: Record<string, unknown> = {}): { model: Clip; cfg: ClipConfig; tok: WordPieceTokenizer } {
  const cfg = readClipConfig(modelConfigOf({ ...(MODEL as { arch: string; model_type: string }), ...over }));
  if (Array.isArray(cfg)) throw new Error(cfg.join("; "));
  const tok = new WordPieceTokenizer(buildVocab([0, 1, 2, 3].flatMap((i) => [caption(i, 0), caption(i, 1)])));
  return { model: new Clip(cfg, tok, 3), cfg, tok };
}

test.before(async () => {
  const be = await initBackend("wasm");
  assert.ok(be.ok);
});

test("zero-shot classifier: prompts, class weights = mean of normalised prompt embeddings, renormalised", () => {
  assert.equal(classPrompts("ankle boot", ["a photo of a {}.", "{} and {}"]), ["a photo of a ankle boot.", "ankle boot and ankle boot"]);
  // 2 classes × 2 templates in 2-D: class 0 = mean([1,0],[0,1]) → [0.707, 0.707]; class 1 = [-1, 0].
  const w = classWeights(Float32Array.from([1, 0, 0, 1, -1, 0, -1, 0]), 2, 2, 2);
  assert.ok(Math.abs(w[0]! - Math.SQRT1_2) < 1e-6 && Math.abs(w[1]! - Math.SQRT1_2) < 1e-6 && w[2] === -1 && w[3] === 0, String(w));
});

test("config: the open_clip sizes of LAVIS's model types come from the stdlib; bad sizes are stdlib checks", () => {
  const sizes = (model_type: string) => {
    const d = readClipConfig(modelConfigOf({ arch: "clip", model_type }));
    if (Array.isArray(d)) throw new Error(d.join("; "));
    return [d.imageSize, d.patchSize, d.vision.width, d.vision.layers, d.vision.heads, d.text.width, d.text.layers, d.text.heads, d.embedDim, d.maxTxtLen];
  };
  // lavis/configs/models/clip/ViT-B-32.json and ViT-L-14-336.json.
  assert.equal(sizes("ViT-B-32"), [224, 32, 768, 12, 12, 512, 12, 8, 512, 77]);
  assert.equal(sizes("ViT-L-14-336"), [336, 14, 1024, 24, 16, 768, 12, 12, 768, 77]);
  const text = modelDiagnostics({ arch: "clip", model_type: "tiny", image_size: 30, patch_size: 8, vit_width: 30, vit_heads: 4 }).join("\n");
  for (const want of ["LV4001 model.image_size: `image_size` must be a multiple of patch_size", "LV4001 model.vit_width: `vit_width` must be divisible by vit_heads"]) assert.ok(text.includes(want), text);
  // Templates without "{}" are the runtime's to refuse (the language cannot look inside strings).
  const errs = readClipConfig({ ...MODEL, zero_shot_templates: ["no placeholder"] });
  assert.ok(Array.isArray(errs) && errs.join("\n").includes("zero_shot_templates"));
});

test("OpenCLIP parameter names; logit scale starts at ln(1/0.07) and is never clamped (LAVIS's CLIP.forward: logit_scale.exp() as it is)", () => {
  const { model } = tinyModel();
  const names = [...model.trainable.keys()];
  for (const n of ["visual.conv1.weight", "visual.class_embedding", "visual.positional_embedding", "visual.ln_pre.weight", "visual.transformer.resblocks.0.attn.in_proj_weight",
    "visual.transformer.resblocks.0.mlp.c_fc.weight", "visual.ln_post.bias", "visual.proj", "token_embedding.weight", "positional_embedding", "transformer.resblocks.0.attn.out_proj.weight",
    "ln_final.weight", "text_projection", "logit_scale"]) assert.ok(names.includes(n), `missing ${n}`);
  assert.not.ok(names.includes("visual.conv1.bias"), "CLIP's conv1 has no bias");
  const scale = model.trainable.get("logit_scale")!;
  assert.ok(Math.abs(scale.dataSync()[0]! - Math.log(1 / 0.07)) < 1e-6);
  scale.assign(tf.scalar(9));
  const image = imageTensor([0, 1]);
  const step = model.prepareStep({ image, text: [caption(0, 0), caption(1, 0)], imageIds: [0, 1] }, { epoch: 0, iters: 0, itersPerEpoch: 1, rng: new Rng(1) });
  assert.ok(Math.abs(scale.dataSync()[0]! - 9) < 1e-6, `open_clip's trainer clamps at ln(100), LAVIS does not: ${scale.dataSync()[0]}`);
  const loss = tf.tidy(() => step.loss().dataSync()[0]!);
  assert.ok(Number.isFinite(loss) && loss > 0);
  assert.ok(Math.abs(componentValues(step)["loss"]! - loss) < 1e-6);
  step.dispose();
  image.dispose();
  model.dispose();
});

test("symmetric loss: the mean of image→text and text→image cross-entropy over in-batch pairs", () => {
  const { model } = tinyModel();
  const image = imageTensor([0, 1, 2]);
  const texts = [caption(0, 0), caption(1, 1), caption(2, 0)];
  const step = model.prepareStep({ image, text: texts, imageIds: [0, 1, 2] }, { epoch: 0, iters: 0, itersPerEpoch: 1, rng: new Rng(1) });
  const got = tf.tidy(() => step.loss().dataSync()[0]!);
  // Recompute from the model's own features, as ClipLoss does.
  const ref = tf.tidy(() => {
    const p = (model as unknown as { imageFeatures(i: tf.Tensor4D): tf.Tensor; textFeatures(t: readonly string[]): tf.Tensor });
    const logits = tf.matMul(p.imageFeatures(image), p.textFeatures(texts), false, true).mul(1 / 0.07).arraySync() as number[][];
    const ce = (rows: number[][]) => rows.reduce((s, r, i) => s - (r[i]! - Math.log(r.reduce((a, x) => a + Math.exp(x), 0))), 0) / rows.length;
    const transposed = logits[0]!.map((_, j) => logits.map((r) => r[j]!));
    return (ce(logits) + ce(transposed)) / 2;
  });
  assert.ok(Math.abs(got - ref) < 1e-3, `${got} vs ${ref}`);
  step.dispose();
  image.dispose();
  model.dispose();
});

test("with replicas, ClipLoss as LAVIS builds it: every rank's features (gathered without gradient), this rank's rows live", () => {
  const { model } = tinyModel();
  const p = model as unknown as { imageFeatures(i: tf.Tensor4D): tf.Tensor2D; textFeatures(t: readonly string[]): tf.Tensor2D };
  const mine = [0, 1], theirs = [2, 3];
  const texts = (ids: number[]) => ids.map((i) => caption(i, 0));
  // The other replica (rank 0 of 2) sends its features; this step runs as rank 1.
  const other = tf.tidy(() => Float32Array.from([...p.imageFeatures(imageTensor(theirs)).dataSync(), ...p.textFeatures(texts(theirs)).dataSync()]));
  const gathers: number[] = [];
  const replicas = {
    rank: 1, world: 2,
    allGather(values: Float32Array) {
      const out = new Float32Array(values.length * 2);
      out.set(other, 0);
      out.set(values, values.length);
      gathers.push(values.length);
      return out;
    },
  };
  const image = imageTensor(mine);
  const step = model.prepareStep({ image, text: texts(mine), imageIds: mine }, { epoch: 0, iters: 0, itersPerEpoch: 1, rng: new Rng(1), replicas });
  const vars = [...model.trainable.values()];
  const { value, grads } = tf.variableGrads(() => step.loss(), vars);
  const got = value.dataSync()[0]!;
  // The loss over the 4 pairs in rank order (rank 0's, then ours), as one replica with all four would compute it.
  const all = imageTensor([...theirs, ...mine]);
  const ref = tf.tidy(() => {
    const logits = tf.matMul(p.imageFeatures(all), p.textFeatures(texts([...theirs, ...mine])), false, true).mul(1 / 0.07).arraySync() as number[][];
    const ce = (rows: number[][]) => rows.reduce((sum, r, i) => sum - (r[i]! - Math.log(r.reduce((acc, x) => acc + Math.exp(x), 0))), 0) / rows.length;
    return (ce(logits) + ce(logits[0]!.map((_, j) => logits.map((r) => r[j]!)))) / 2;
  });
  assert.ok(Math.abs(got - ref) < 1e-3, `${got} vs ${ref}`);
  assert.equal(gathers, [other.length], "image and text features gathered in one exchange");
  // Gradients reach the towers through this rank's rows (the others are constants).
  assert.ok(vars.some((v) => grads[v.name] && Math.abs(grads[v.name]!.abs().sum().dataSync()[0]!) > 0));
  tf.dispose([value, ...Object.values(grads), image, all]);
  step.dispose();
  model.dispose();
});

test("the text tower is causal: features at the end-of-text token ignore later tokens", () => {
  const { model, cfg, tok } = tinyModel();
  const p = (name: string) => model.trainable.get(name)!;
  const textCfg = { ...cfg.text, vocabSize: tok.size, contextLength: cfg.maxTxtLen, outputDim: cfg.embedDim, init: cfg.init };
  const [a, b] = tf.tidy(() => {
    const ids = tf.tensor2d([[2, 10, 11, 3, 12, 13, 14, 15], [2, 10, 11, 3, 20, 21, 22, 23]], [2, 8], "int32");
    const early = textTowerForward(p, textCfg, ids, [3, 3]).arraySync() as number[][];
    const late = textTowerForward(p, textCfg, ids, [7, 7]).arraySync() as number[][];
    return [early, late];
  });
  assert.ok(a![0]!.every((v, i) => Math.abs(v - a![1]![i]!) < 1e-5), "prefix features differ");
  assert.ok(b![0]!.some((v, i) => Math.abs(v - b![1]![i]!) > 1e-3), "later tokens have no effect at the last position");
  model.dispose();
});

test("evaluation leaks no tensors: zero-shot classification and retrieval by cosine similarity", async () => {
  const { model } = tinyModel();
  const before = tf.memory().numTensors;
  const data = await factory.evalSplit!(dataset("z", ["val"]), "val", { batchSize: 8 });
  const out = (await model.evaluate({ task: "multimodal_classification", split: "val", epoch: 3, batchSize: 8, taskParams: {}, batches: async () => data.batches, extras: async () => data.extras }))!;
  assert.is(out.result!.name, "val_epoch3");
  assert.is(out.result!.records.length, IMAGES);
  const texts = Array.from({ length: 8 }, (_, t) => caption(t >> 1, t & 1));
  const { metrics, ranks } = await model.evaluateRetrieval({
    texts, img2txt: [0, 1, 2, 3].map((i) => [2 * i, 2 * i + 1]), txt2img: texts.map((_, t) => t >> 1),
    imageBatches: { async *[Symbol.asyncIterator]() { yield { image: imageTensor([0, 1]) }; yield { image: imageTensor([2, 3]) }; } },
  });
  assert.is(metrics["agg_metrics"], metrics["txt_r_mean"]);
  assert.is(metrics["txt_r10"], 100); // 8 texts: every image finds its caption in the top 10
  assert.is(ranks.txt_ranks.length, 4);
  assert.is(ranks.img_ranks.length, 8);
  assert.is(tf.memory().numTensors, before);
  model.dispose();
});

test("contrastive training on captions gives zero-shot accuracy well above chance; result file and evaluate-only from the best checkpoint", async () => {
  const out = join(root, "train");
  const r = await runExperiment(spec(out), { dataFactory: factory, now: clock });
  assert.is(r.status, 0, r.errors.join("; "));
  const losses = r.epochLosses;
  assert.ok(losses[losses.length - 1]! < 0.7 * losses[0]!, `loss did not fall: ${losses.map((x) => x.toFixed(3)).join(" ")}`);
  // 4 classes: chance is 0.25.
  assert.ok(r.metrics["test"]!["acc"]! >= 0.75, JSON.stringify(r.metrics) + " " + losses.map((x) => x.toFixed(3)).join(" "));
  assert.is(r.metrics["test"]!["agg_metrics"], r.metrics["test"]!["acc"]);
  const dir = r.outputDir!;
  const records = JSON.parse(readFileSync(join(dir, "result", "test_epochbest.json"), "utf8")) as { instance_id: string; prediction: number; target: number }[];
  assert.is(records.length, IMAGES);
  assert.equal(Object.keys(records[0]!).sort(), ["instance_id", "prediction", "target"]);
  assert.equal(records.map((x) => x.instance_id), Array.from({ length: IMAGES }, (_, i) => String(i)));
  assert.is(records.filter((x) => x.prediction === x.target).length / IMAGES, r.metrics["test"]!["acc"]);
  assert.ok(existsSync(join(dir, "result", "val_epoch8.json")));
  const evalLines = readFileSync(join(dir, "evaluate.txt"), "utf8").trim().split("\n");
  assert.ok(evalLines[0]!.startsWith('{"val": {"agg_metrics": ') && evalLines[evalLines.length - 1]!.startsWith('{"test": {"agg_metrics": '), evalLines.join("\n"));

  const e = await runExperiment(spec(join(root, "eval"), { evaluate: true, model: { arch: "clip", modelType: "tiny", config: MODEL, loadWeights: join(dir, "checkpoint_best.json") } }), { dataFactory: factory, now: clock });
  assert.is(e.status, 0, e.errors.join("; "));
  assert.equal(e.metrics["test"], r.metrics["test"]);
});

test.run();
