// Benchmark for a machine with a GPU: blip_retrieval training steps (ITC with momentum encoders and queue, ITM with
// hard negatives, AdamW) at LAVIS's sizes (blip_retrieval(coco): ViT-B/16 at 384 px, BERT-base; the model of
// projects/blip/retrieval_coco_ft.lv), batch sizes growing until one does not fit. Reports images per second and the
// achieved TFLOP/s of the matrix products (counted per kernel call: 2·M·N·K, forward and backward) over the whole step
// time, against the GPU's fp32 peak when GPU_PEAK_TFLOPS gives it. Run it with bench/gpu.sh.
// The peer runs first, in the same run: the same step in PyTorch on CUDA (bench/peer_retrieval_step.py, plain fp32:
// TF32 off) at the same batch sizes, and PyTorch's fp32 matrix-product rate on this GPU (8192^3, TF32 off) as a
// measured ceiling; each batch's line gives the ratio.
// Environment: GPU_DEVICE (webgpu | cuda | auto, default webgpu), GPU_SIZE (lavis | tiny: the quickstart's tiny model,
// for a dry run on any adapter), GPU_BATCHES ("8 16 32 64 96 128"; tiny: "2 4"), GPU_STEPS (10 timed steps after 2
// warm-up), GPU_TIME_BUDGET_S (default 600: a larger batch is not started when, at the last one's speed, it would end
// past the budget), GPU_PEAK_TFLOPS (the GPU's fp32 peak, e.g. 19.5 for an A100, 82.6 for an RTX 4090), GPU_PEER
// (0: no PyTorch peer), PYTHON (the peer's interpreter, default python3), GPU_PROFILE=1 (after the first batch's timed
// steps, one step with every GPU program timed), GPU_CPU_PROFILE=<file> (a V8 CPU profile of the first batch's timed
// steps), GPU_TFJS_FLAGS ("NAME=value ..." tfjs environment flags, for A/B runs), GPU_STOCK_GRADIENTS=1 (tfjs's own
// Mean and Sum gradients, to measure lavisc's replacement), GPU_FUSED_LAYERS=0 (LayerNorm and GELU as tf ops instead
// of lavisc's WGSL programs, to measure them).
import * as tf from "@tensorflow/tfjs";
import { checkFile } from "../src/index.js";
import { nodeHost } from "../src/cli/host.js";
import { lowerToGraph, runSpecOf } from "../src/compiler/lower.js";
import { initBackend } from "../src/runtime/backend/initBackend.js";
import { webGpuFusedLayersSwitch } from "../src/runtime/backend/webgpuFusedLayers.js";
import { createModel, type Model } from "../src/runtime/models/index.js";
import { withoutRandomInit } from "../src/runtime/nn/paramStore.js";
import { WordPieceTokenizer } from "../src/runtime/nn/tokenizer.js";
import { pytorchPeer } from "./gpuPeer.js";
import { gib, gpuErrorScopes, kernelProfile, startCpuProfile } from "./gpuProfile.js";
import { AdamW } from "../src/runtime/optim/adamW.js";
import { GradientAccumulator, trainStep } from "../src/runtime/train/trainStep.js";
import { Rng } from "../src/runtime/train/rng.js";
import type { Backend } from "../src/runtime/runSpec.js";

const tiny = process.env["GPU_SIZE"] === "tiny";
const device = (process.env["GPU_DEVICE"] ?? "webgpu") as Backend;
const batches = (process.env["GPU_BATCHES"] ?? (tiny ? "2 4" : "8 16 32 64 96 128")).split(/\s+/).filter(Boolean).map(Number);
const steps = Number(process.env["GPU_STEPS"] ?? 10);
const peak = process.env["GPU_PEAK_TFLOPS"] ? Number(process.env["GPU_PEAK_TFLOPS"]) : null;
const budgetSecs = Number(process.env["GPU_TIME_BUDGET_S"] ?? 600);
const startedAt = performance.now();
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

// tfjs's gradients as registered before initBackend replaces two of them (for GPU_STOCK_GRADIENTS).
const stockGradients = ["Mean", "Sum"].map((k) => tf.getGradient(k)!);
const checked = checkFile(project, nodeHost());
if (!checked.resolved) throw new Error(`cannot compile ${project}`);
const spec = runSpecOf(lowerToGraph(checked.resolved).graph);
const tokenizer = bertVocab(tiny ? 200 : 30524);
const cfg = spec.model.config as Record<string, unknown>;
const imageSize = Number(cfg["image_size"]);
const textLen = Number(cfg["max_txt_len"] ?? 35);
// The peer runs first, in its own process, so that each side has the GPU's memory to itself.
const peer = process.env["GPU_PEER"] === "0" ? null : pytorchPeer(cfg, { textLen, vocab: tokenizer.size, batches, steps });
const be = await initBackend(device);
// GPU_STOCK_GRADIENTS=1: tfjs's own Mean and Sum gradients (a host-made tensor of ones each) instead of lavisc's,
// to measure what backend/deviceSideGradients.ts changes on a GPU.
if (process.env["GPU_STOCK_GRADIENTS"] === "1") {
  for (const g of stockGradients) tf.registerGradient(g);
  console.log("tfjs's own Mean and Sum gradients (GPU_STOCK_GRADIENTS=1)");
}
// GPU_FUSED_LAYERS=0: LayerNorm and GELU as tf ops (about 29 and 13 GPU programs) instead of backend/webgpuFusedLayers.ts.
if (process.env["GPU_FUSED_LAYERS"] === "0") {
  webGpuFusedLayersSwitch.enabled = false;
  console.log("LayerNorm and GELU as tf ops (GPU_FUSED_LAYERS=0)");
}
// GPU_TFJS_FLAGS="NAME=value ...": tfjs environment flags for an A/B (e.g. WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=64).
for (const [name, value] of (process.env["GPU_TFJS_FLAGS"] ?? "").split(/\s+/).filter(Boolean).map((f) => f.split("="))) {
  tf.env().set(name!, value === "true" ? true : value === "false" ? false : Number(value));
  console.log(`tfjs flag ${name} = ${String(tf.env().get(name!))}`);
}
if (!be.ok) {
  console.log(`gpu: ${be.message}; ${be.hint}`);
  process.exit(1);
}
console.log(`backend ${be.name} on ${be.device} (${be.reason})`);
// Weights drawn as zeros would make every token alike; a seeded random init is part of the set-up, not timed.
const model: Model = (() => {
  const m = tiny ? createModel(spec.model, tokenizer, 1) : withoutRandomInit(() => createModel(spec.model, tokenizer, 1));
  if (Array.isArray(m)) throw new Error(m.join("; "));
  if (!tiny) for (const v of m.trainable.values()) if (v.shape.length >= 2) tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.02, "float32", 7)));
  return m;
})();
const params = [...model.trainable.values()].reduce((n, v) => n + v.size, 0);
const rates = `hidden dropout ${String(cfg["text_hidden_dropout"])}, attention dropout ${String(cfg["text_attention_dropout"])}, ViT drop-path ${String(cfg["vit_drop_path"])}`;
console.log(`${spec.model.arch}(${spec.model.modelType}): ${(params / 1e6).toFixed(1)}M trainable parameters, ${imageSize} px images, ${textLen} tokens, training with ${rates} (the peer too)`);
const optimizer = new AdamW(model.trainable, { weightDecay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, noDecay: spec.optimizer.noDecay });
const acc = new GradientAccumulator();
const rng = new Rng(0);
const flopCounter = countMatmulFlops(tf.getBackend());
const sync = async () => void (await [...model.trainable.values()][0]!.data());

let best: { batch: number; imagesPerSec: number; tflops: number } | null = null;
let lastBatchSecs = 0;
for (const [n, batchSize] of batches.entries()) {
  const elapsed = (performance.now() - startedAt) / 1000;
  const previous = batches[n - 1];
  // Steps cost about in proportion to the batch: the last batch's time (warm-up included) scaled to this one.
  const expected = previous ? (lastBatchSecs * batchSize) / previous : 0;
  if (previous && elapsed + expected > budgetSecs) {
    console.log(`batch ${batchSize} not run: about ${expected.toFixed(0)} s at batch ${previous}'s speed, past GPU_TIME_BUDGET_S=${budgetSecs} (${elapsed.toFixed(0)} s spent)`);
    break;
  }
  const batchStart = performance.now();
  const image = tf.randomNormal([batchSize, imageSize, imageSize, 3], 0, 1, "float32", batchSize) as tf.Tensor4D;
  const text = Array.from({ length: batchSize }, (_, i) => Array.from({ length: textLen - 2 }, (_, j) => `w${5 + ((i * 31 + j * 7) % 150)}`).join(" "));
  const batch = { image, text, imageIds: Array.from({ length: batchSize }, (_, i) => i) };
  const step = (i: number) => tf.dispose(Object.values(trainStep(model, optimizer, acc, batch, { epoch: 1, iters: i, itersPerEpoch: 1000, rng }, 1e-5, 1)));
  const scopes = gpuErrorScopes();
  try {
    for (let i = 0; i < 2; i++) step(i);
    await sync();
    flopCounter.reset();
    const cpuProfile = n === 0 ? await startCpuProfile() : null;
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step(i);
    await sync();
    const secs = (performance.now() - t0) / 1000;
    await cpuProfile?.stop();
    // A buffer over the device's limits is a WebGPU validation or memory error, reported asynchronously, not thrown.
    const gpuError = await scopes.pop();
    if (gpuError) throw new Error(gpuError);
    const tflops = flopCounter.flops() / secs / 1e12;
    const imagesPerSec = (batchSize * steps) / secs;
    const ofPeak = peak ? `, ${((100 * tflops) / peak).toFixed(1)}% of the ${peak} TFLOP/s fp32 peak` : "";
    const peerRate = peer?.imagesPerSec.get(batchSize);
    const vsPeer = peerRate ? `; PyTorch ${peerRate.toFixed(1)} images/s, ratio ${(imagesPerSec / peerRate).toFixed(3)}` : "";
    const pool = (tf.memory() as { numBytesAllocatedInGPU?: number }).numBytesAllocatedInGPU;
    const memory = pool === undefined ? "" : `, ${gib(pool)} of GPU buffers`;
    console.log(`batch ${batchSize}: ${((1000 * secs) / steps).toFixed(0)} ms/step, ${imagesPerSec.toFixed(1)} images/s, matmul ${flopText(flopCounter.flops() / steps)} per step, ${flopText(tflops * 1e12)}/s${ofPeak}${memory}${vsPeer}`);
    if (n === 0 && process.env["GPU_PROFILE"] === "1") await kernelProfile(() => step(steps + 2), (1000 * secs) / steps).catch((e) => console.log(`profile failed: ${(e as Error).message}`));
    if (!best || imagesPerSec > best.imagesPerSec) best = { batch: batchSize, imagesPerSec, tflops };
  } catch (e) {
    await scopes.pop();
    console.log(`batch ${batchSize} does not fit or fails: ${(e as Error).message.split("\n")[0]}`);
    break;
  } finally {
    image.dispose();
  }
  lastBatchSecs = (performance.now() - batchStart) / 1000;
}
flopCounter.uninstall();
if (!best) {
  console.log(`gpu: ${be.device}: no batch size ran`);
  process.exit(1);
}
const ofPeak = peak ? `, ${((100 * best.tflops) / peak).toFixed(1)}% of fp32 peak ${peak}` : " (set GPU_PEAK_TFLOPS for the share of peak)";
const ofMeasured = peer?.matmulTflops ? `, ${((100 * best.tflops) / peer.matmulTflops).toFixed(1)}% of PyTorch's measured fp32 matmul rate ${peer.matmulTflops.toFixed(1)}` : "";
const peerBest = peer && Math.max(0, ...peer.imagesPerSec.values());
const ratio = peerBest ? `; PyTorch at its best batch ${peerBest.toFixed(1)} images/s, ratio ${(best.imagesPerSec / peerBest).toFixed(3)}` : "";
console.log(`gpu: ${be.device}: ${spec.model.arch}(${spec.model.modelType}) batch ${best.batch}, ${best.imagesPerSec.toFixed(1)} images/s, ${flopText(best.tflops * 1e12)}/s${ofPeak}${ofMeasured}${ratio}`);
