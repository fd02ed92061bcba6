// Benchmark for a machine with a GPU: blip_retrieval training steps (ITC with momentum encoders and queue, ITM with
// hard negatives, AdamW) at LAVIS's sizes (blip_retrieval(coco): ViT-B/16 at 384 px, BERT-base; the model of
// projects/blip/retrieval_coco_ft.lv), batch sizes growing until one does not fit. Reports images per second and the
// achieved TFLOP/s of the matrix products (counted per kernel call: 2·M·N·K, forward and backward) over the whole step
// time, against the GPU's fp32 peak when GPU_PEAK_TFLOPS gives it. Run it with bench/gpu.sh.
// Environment: GPU_DEVICE (webgpu | cuda | auto, default webgpu), GPU_SIZE (lavis | tiny: the quickstart's tiny model,
// for a dry run on any adapter), GPU_BATCHES ("8 16 32 64 96 128"; tiny: "2 4"), GPU_STEPS (10 timed steps after 2
// warm-up), GPU_PEAK_TFLOPS (the GPU's fp32 peak, e.g. 19.5 for an A100, 82.6 for an RTX 4090).
import * as tf from "@tensorflow/tfjs";
import { checkFile } from "../src/index.js";
import { nodeHost } from "../src/cli/host.js";
import { lowerToGraph, runSpecOf } from "../src/compiler/lower.js";
import { initBackend } from "../src/runtime/backend/initBackend.js";
import { createModel, type Model } from "../src/runtime/models/index.js";
import { withoutRandomInit } from "../src/runtime/nn/paramStore.js";
import { WordPieceTokenizer } from "../src/runtime/nn/tokenizer.js";
import { AdamW } from "../src/runtime/optim/adamW.js";
import { GradientAccumulator, trainStep } from "../src/runtime/train/trainStep.js";
import { Rng } from "../src/runtime/train/rng.js";
import type { Backend } from "../src/runtime/runSpec.js";

const tiny = process.env["GPU_SIZE"] === "tiny";
const device = (process.env["GPU_DEVICE"] ?? "webgpu") as Backend;
const batches = (process.env["GPU_BATCHES"] ?? (tiny ? "2 4" : "8 16 32 64 96 128")).split(/\s+/).filter(Boolean).map(Number);
const steps = Number(process.env["GPU_STEPS"] ?? 10);
const peak = process.env["GPU_PEAK_TFLOPS"] ? Number(process.env["GPU_PEAK_TFLOPS"]) : null;
const project = new URL(tiny ? "../../projects/quickstart/retrieval_shapes.lv" : "../../projects/blip/retrieval_coco_ft.lv", import.meta.url).pathname;

/** Counts 2·M·N·K (times the batch of the product) for every matrix product the backend runs. */
function countMatmulFlops(backendName: string): { flops(): number; reset(): void; uninstall(): void } {
  let total = 0;
  const wrapped = ["BatchMatMul", "_FusedMatMul"].flatMap((name) => {
    const k = tf.getKernel(name, backendName);
    if (!k) return [];
    const inner = k.kernelFunc;
    const counting: tf.KernelFunc = (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
      const m = a.shape[a.shape.length - (transposeA ? 1 : 2)]!;
      const kk = a.shape[a.shape.length - (transposeA ? 2 : 1)]!;
      const n = b.shape[b.shape.length - (transposeB ? 2 : 1)]!;
      const batch = Math.max(a.shape.slice(0, -2).reduce((x, y) => x * y, 1), b.shape.slice(0, -2).reduce((x, y) => x * y, 1));
      total += 2 * batch * m * n * kk;
      return inner(args);
    };
    tf.unregisterKernel(name, backendName);
    tf.registerKernel({ ...k, kernelFunc: counting });
    return [k];
  });
  return {
    flops: () => total,
    reset: () => void (total = 0),
    uninstall: () => wrapped.forEach((k) => (tf.unregisterKernel(k.kernelName, backendName), tf.registerKernel(k))),
  };
}

/** "1.234 TFLOP" or "56.7 GFLOP" (tiny models do a few GFLOP per step). */
const flopText = (x: number): string => (x >= 1e11 ? `${(x / 1e12).toFixed(3)} TFLOP` : `${(x / 1e9).toFixed(2)} GFLOP`);

function bertVocab(size: number): WordPieceTokenizer {
  const vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  while (vocab.length < size - 2) vocab.push(`w${vocab.length}`);
  vocab.push("[DEC]", "[ENC]");
  return new WordPieceTokenizer(vocab);
}

const be = await initBackend(device);
if (!be.ok) {
  console.log(`gpu: ${be.message}; ${be.hint}`);
  process.exit(1);
}
console.log(`backend ${be.name} on ${be.device} (${be.reason})`);
const checked = checkFile(project, nodeHost());
if (!checked.resolved) throw new Error(`cannot compile ${project}`);
const spec = runSpecOf(lowerToGraph(checked.resolved).graph);
const tokenizer = bertVocab(tiny ? 200 : 30524);
const cfg = spec.model.config as Record<string, unknown>;
const imageSize = Number(cfg["image_size"]);
const textLen = Number(cfg["max_txt_len"] ?? 35);
// Weights drawn as zeros would make every token alike; a seeded random init is part of the set-up, not timed.
const model: Model = (() => {
  const m = tiny ? createModel(spec.model, tokenizer, 1) : withoutRandomInit(() => createModel(spec.model, tokenizer, 1));
  if (Array.isArray(m)) throw new Error(m.join("; "));
  if (!tiny) for (const v of m.trainable.values()) if (v.shape.length >= 2) tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.02, "float32", 7)));
  return m;
})();
const params = [...model.trainable.values()].reduce((n, v) => n + v.size, 0);
console.log(`${spec.model.arch}(${spec.model.modelType}): ${(params / 1e6).toFixed(1)}M trainable parameters, ${imageSize} px images, ${textLen} tokens`);
const optimizer = new AdamW(model.trainable, { weightDecay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
const acc = new GradientAccumulator();
const rng = new Rng(0);
const flopCounter = countMatmulFlops(tf.getBackend());
const sync = async () => void (await [...model.trainable.values()][0]!.data());

let best: { batch: number; imagesPerSec: number; tflops: number } | null = null;
for (const batchSize of batches) {
  const image = tf.randomNormal([batchSize, imageSize, imageSize, 3], 0, 1, "float32", batchSize) as tf.Tensor4D;
  const text = Array.from({ length: batchSize }, (_, i) => Array.from({ length: textLen - 2 }, (_, j) => `w${5 + ((i * 31 + j * 7) % 150)}`).join(" "));
  const batch = { image, text, imageIds: Array.from({ length: batchSize }, (_, i) => i) };
  const step = (i: number) => tf.dispose(Object.values(trainStep(model, optimizer, acc, batch, { epoch: 1, iters: i, itersPerEpoch: 1000, rng }, 1e-5, 1)));
  try {
    for (let i = 0; i < 2; i++) step(i);
    await sync();
    flopCounter.reset();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step(i);
    await sync();
    const secs = (performance.now() - t0) / 1000;
    const tflops = flopCounter.flops() / secs / 1e12;
    const imagesPerSec = (batchSize * steps) / secs;
    const ofPeak = peak ? `, ${((100 * tflops) / peak).toFixed(1)}% of the ${peak} TFLOP/s fp32 peak` : "";
    console.log(`batch ${batchSize}: ${((1000 * secs) / steps).toFixed(0)} ms/step, ${imagesPerSec.toFixed(1)} images/s, matmul ${flopText(flopCounter.flops() / steps)} per step, ${flopText(tflops * 1e12)}/s${ofPeak}`);
    if (!best || imagesPerSec > best.imagesPerSec) best = { batch: batchSize, imagesPerSec, tflops };
  } catch (e) {
    console.log(`batch ${batchSize} does not fit or fails: ${(e as Error).message.split("\n")[0]}`);
    break;
  } finally {
    image.dispose();
  }
}
flopCounter.uninstall();
if (!best) {
  console.log(`gpu: ${be.device}: no batch size ran`);
  process.exit(1);
}
const ofPeak = peak ? `, ${((100 * best.tflops) / peak).toFixed(1)}% of fp32 peak ${peak}` : " (set GPU_PEAK_TFLOPS for the share of peak)";
console.log(`gpu: ${be.device}: ${spec.model.arch}(${spec.model.modelType}) batch ${best.batch}, ${best.imagesPerSec.toFixed(1)} images/s, ${flopText(best.tflops * 1e12)}/s${ofPeak}`);
