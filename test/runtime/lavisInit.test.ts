// With `init_std` absent each parameter starts as LAVIS's module draws it (runtime/nn/init.ts): timm's trunc_normal_
// (std 0.02, absolute cutoffs ±2, so effectively untruncated) for the ViT's Linears, pos_embed and cls_token; BERT's
// untruncated normal(initializer_range); PyTorch's defaults (U(±1/√fan_in), biases included) for the patch conv and the
// heads; CLIP's vision blocks at PyTorch's defaults (xavier in_proj), its text blocks at init_parameters' normals.
// With `init_std = x`: normal(0, x) truncated at ±2x, untruncated for embeddings, and zero biases.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { ParamStore } from "../../src/runtime/nn/paramStore.js";
import { Rng } from "../../src/runtime/train/rng.js";
import { declareVit, vitForward, type VitConfig } from "../../src/runtime/nn/vit.js";
import { declareBert, bertForward, type BertConfig } from "../../src/runtime/nn/bertEncoder.js";
import { declareBlipItc } from "../../src/runtime/models/blipItc.js";
import { declareTextTower, declareVisionTower } from "../../src/runtime/models/clipTransformer.js";
import { readBlipSizes } from "../../src/runtime/models/sizing.js";
import { readClipConfig } from "../../src/runtime/models/clipConfig.js";
import { modelConfigOf } from "../harness/modelConfig.js";

await tf.setBackend("cpu");

const VIT: VitConfig = { imageSize: 32, patchSize: 16, width: 192, depth: 1, heads: 3, mlpRatio: 4, initStd: 0.02, normEps: 1e-6, dropPath: 0 };
const BERT: BertConfig = { vocabSize: 500, maxPositions: 32, width: 192, layers: 1, heads: 3, intermediate: 768, encoderWidth: 192, initializerRange: 0.02, layerNormEps: 1e-12, hiddenDropout: 0, attentionDropout: 0, attentionMaskFill: -10000 };

function stats(store: ParamStore, name: string) {
  const d = store.get(name).dataSync();
  let sum = 0, sq = 0, max = 0;
  for (const x of d) {
    sum += x;
    sq += x * x;
    max = Math.max(max, Math.abs(x));
  }
  const mean = sum / d.length;
  const std = Math.sqrt(sq / d.length - mean * mean);
  let beyond2 = 0;
  for (const x of d) if (Math.abs(x) > 2 * std) beyond2++;
  return { std, max, beyond2: beyond2 / d.length };
}

/** A normal's share beyond 2σ is 4.55%; a uniform has none, and a normal truncated at ±2σ none either. */
function assertNormal(store: ParamStore, name: string, std: number): void {
  const s = stats(store, name);
  assert.ok(Math.abs(s.std / std - 1) < 0.03, `${name}: std ${s.std}, expected ${std}`);
  assert.ok(s.beyond2 > 0.035 && s.beyond2 < 0.056, `${name}: ${s.beyond2} beyond 2σ, an untruncated normal has 4.55%`);
}

function assertUniform(store: ParamStore, name: string, bound: number): void {
  const s = stats(store, name);
  assert.ok(s.max <= bound && s.max > 0.97 * bound, `${name}: max |x| ${s.max}, expected U(±${bound})`);
  assert.ok(Math.abs(s.std / (bound / Math.sqrt(3)) - 1) < 0.06, `${name}: std ${s.std}, expected ${bound / Math.sqrt(3)}`);
}

function assertTruncatedAt2(store: ParamStore, name: string, x: number): void {
  const s = stats(store, name);
  assert.ok(s.max <= 2 * x, `${name}: max |x| ${s.max} beyond 2·${x}`);
  assert.ok(s.max > 1.9 * x, `${name}: max |x| ${s.max}`);
}

/** A bias is too short for its std to tell: only its bound (PyTorch's default U(±1/√fan_in)). */
function assertWithin(store: ParamStore, name: string, bound: number): void {
  const s = stats(store, name);
  assert.ok(s.max <= bound && s.max > 0.8 * bound, `${name}: max |x| ${s.max}, expected U(±${bound})`);
}

const zero = (store: ParamStore, name: string) => assert.is(stats(store, name).max, 0, `${name} is zero`);

test("init_std absent: BLIP's ViT, BERT and heads start as LAVIS's modules draw them", () => {
  const s = new ParamStore(new Rng(1), true, null);
  declareBlipItc(s, { vit: VIT, textWidth: 192, embedDim: 64 }, BERT);
  // timm's trunc_normal_(std=.02): its ±2 cutoffs are absolute, so nothing is cut at 2σ.
  for (const n of ["blocks.0.attn.qkv.weight", "blocks.0.mlp.fc1.weight", "pos_embed"]) assertNormal(s, `visual_encoder.${n}`, 0.02);
  zero(s, "visual_encoder.blocks.0.attn.qkv.bias");
  // timm's PatchEmbed conv keeps nn.Conv2d's default: U(±1/√(3·16·16)) weight and bias.
  assertUniform(s, "visual_encoder.patch_embed.proj.weight", (3 * 16 * 16) ** -0.5);
  assertWithin(s, "visual_encoder.patch_embed.proj.bias", (3 * 16 * 16) ** -0.5);
  // med.py's _init_weights: normal_(0, initializer_range), untruncated, for Linear and Embedding; zero biases.
  for (const n of ["encoder.layer.0.attention.self.query.weight", "encoder.layer.0.crossattention.self.key.weight", "encoder.layer.0.intermediate.dense.weight", "embeddings.word_embeddings.weight"]) {
    assertNormal(s, `text_encoder.${n}`, 0.02);
  }
  zero(s, "text_encoder.encoder.layer.0.intermediate.dense.bias");
  // vision_proj / text_proj are plain nn.Linear: PyTorch's default, biases included.
  assertUniform(s, "vision_proj.weight", 192 ** -0.5);
  assertWithin(s, "text_proj.bias", 192 ** -0.5);
});

test("the stds are the config's: vit_init_std and the med config's initializer_range", () => {
  const s = new ParamStore(new Rng(2), true, null);
  declareVit(s, "v.", { ...VIT, initStd: 0.05 });
  declareBert(s, "t.", { ...BERT, initializerRange: 0.1 });
  assertNormal(s, "v.blocks.0.mlp.fc1.weight", 0.05);
  assertNormal(s, "t.encoder.layer.0.output.dense.weight", 0.1);
});

test("init_std = x: normal(0, x) truncated at ±2x (embeddings untruncated), zero biases", () => {
  const s = new ParamStore(new Rng(3), true, 0.2);
  declareBlipItc(s, { vit: VIT, textWidth: 192, embedDim: 64 }, BERT);
  for (const n of ["visual_encoder.blocks.0.attn.qkv.weight", "visual_encoder.patch_embed.proj.weight", "text_encoder.encoder.layer.0.attention.self.query.weight", "vision_proj.weight"]) {
    assertTruncatedAt2(s, n, 0.2);
  }
  assertNormal(s, "text_encoder.embeddings.word_embeddings.weight", 0.2);
  for (const n of ["visual_encoder.patch_embed.proj.bias", "vision_proj.bias", "text_proj.bias", "text_encoder.encoder.layer.0.intermediate.dense.bias"]) zero(s, n);
});

/** CLIP's init constants and LayerNorm eps as the stdlib declares them (stdlib/lavisc_clip.lv). */
function clipStdlibConstants() {
  const cfg = readClipConfig(modelConfigOf({ arch: "clip", model_type: "tiny" }));
  if (Array.isArray(cfg)) throw new Error(cfg.join("; "));
  return { init: cfg.init, normEps: cfg.vision.normEps };
}

test("CLIP, init_std absent: vision blocks at PyTorch's defaults, text blocks at init_parameters' normals", () => {
  const w = 192, layers = 2;
  const s = new ParamStore(new Rng(4), true, null);
  const lavis = clipStdlibConstants();
  declareVisionTower(s, "visual.", { imageSize: 32, patchSize: 16, width: w, layers, heads: 3, mlpRatio: 4, outputDim: 64, ...lavis });
  declareTextTower(s, { vocabSize: 500, contextLength: 16, width: w, layers, heads: 3, mlpRatio: 4, outputDim: 64, ...lavis });
  const b = "visual.transformer.resblocks.0.";
  assertUniform(s, `${b}attn.in_proj_weight`, Math.sqrt(6 / (w + 3 * w)));
  assertUniform(s, `${b}attn.out_proj.weight`, w ** -0.5);
  assertUniform(s, `${b}mlp.c_fc.weight`, w ** -0.5);
  assertUniform(s, `${b}mlp.c_proj.weight`, (4 * w) ** -0.5);
  assertWithin(s, `${b}mlp.c_fc.bias`, w ** -0.5);
  zero(s, `${b}attn.in_proj_bias`);
  zero(s, `${b}attn.out_proj.bias`);
  assertUniform(s, "visual.conv1.weight", (3 * 16 * 16) ** -0.5);
  assertNormal(s, "visual.proj", w ** -0.5);
  const t = "transformer.resblocks.0.";
  assertNormal(s, `${t}attn.in_proj_weight`, w ** -0.5);
  assertNormal(s, `${t}mlp.c_fc.weight`, (2 * w) ** -0.5);
  assertNormal(s, `${t}attn.out_proj.weight`, w ** -0.5 * (2 * layers) ** -0.5);
  assertWithin(s, `${t}mlp.c_proj.bias`, (4 * w) ** -0.5);
  zero(s, `${t}attn.in_proj_bias`);
  // init_parameters' embedding and projection stds (visual.proj above: VisualTransformer's width^-0.5 scale).
  assertNormal(s, "token_embedding.weight", 0.02);
  assertNormal(s, "text_projection", w ** -0.5);
  assert.is(lavis.normEps, 1e-5, "model.py's LayerNorm is nn.LayerNorm at PyTorch's default eps");
});

test("CLIP, init_std = x: every weight normal(0, x), every bias zero", () => {
  const s = new ParamStore(new Rng(5), true, 0.2);
  declareVisionTower(s, "visual.", { imageSize: 32, patchSize: 16, width: 192, layers: 1, heads: 3, mlpRatio: 4, outputDim: 64, ...clipStdlibConstants() });
  assertNormal(s, "visual.transformer.resblocks.0.attn.in_proj_weight", 0.2);
  assertNormal(s, "visual.conv1.weight", 0.2);
  zero(s, "visual.transformer.resblocks.0.mlp.c_fc.bias");
});

test("vit_layer_norm_epsilon and the med config's layer_norm_eps reach the layers", () => {
  const sizes = readBlipSizes(modelConfigOf({ arch: "blip_retrieval", model_type: "tiny", vit_layer_norm_epsilon: 1e-5 }), []);
  assert.is(sizes.vit.normEps, 1e-5);
  assert.is(readBlipSizes(modelConfigOf({ arch: "blip_retrieval", model_type: "tiny" }), []).vit.normEps, 1e-6);
  assert.is(readBlipSizes(modelConfigOf({ arch: "blip_retrieval", model_type: "tiny", vit_layer_norm_epsilon: -1 }), []).vit.normEps, 1e-6);
  assert.is(sizes.textLayerNormEps, 1e-12);
  assert.is(sizes.textInitializerRange, 0.02);
  const s = new ParamStore(new Rng(6), true, 0.2);
  declareVit(s, "v.", VIT);
  declareBert(s, "t.", BERT);
  const image = tf.randomNormal([1, 32, 32, 3], 0, 1, "float32", 7) as tf.Tensor4D;
  const gap = (a: tf.Tensor, b: tf.Tensor) => a.sub(b).abs().max().dataSync()[0]!;
  const p = s.lookup();
  assert.ok(gap(vitForward(p, "v.", VIT, image), vitForward(p, "v.", { ...VIT, normEps: 10 }, image)) > 1e-2);
  const ids = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
  const mask = tf.ones([1, 3]) as tf.Tensor2D;
  assert.ok(gap(bertForward(p, "t.", BERT, ids, mask, null), bertForward(p, "t.", { ...BERT, layerNormEps: 10 }, ids, mask, null)) > 1e-2);
});

test.run();
