// A few training steps (forward, backward, AdamW) of each BLIP-family arch's `tiny` type at a test size, on seeded
// synthetic batches: the loss components of every step, and the model afterwards. Tests compare training forward
// passes with these (dropout on and off, one step seed and another).
import * as tf from "@tensorflow/tfjs";
import { createModel } from "../../src/runtime/models/index.js";
import type { Model, StepContext, TrainBatch } from "../../src/runtime/models/model.js";
import { buildVocab, WordPieceTokenizer } from "../../src/runtime/nn/tokenizer.js";
import { AdamW } from "../../src/runtime/optim/adamW.js";
import { Rng } from "../../src/runtime/train/rng.js";
import { modelConfigOf } from "../harness/modelConfig.js";
import { noDecayOf } from "../harness/runnerFacts.js";
import { componentValues } from "./stepValues.js";

export const TINY_ARCHS = ["blip_retrieval", "blip_caption", "blip_vqa", "blip_classification", "albef_classification"] as const;
export type TinyArch = (typeof TINY_ARCHS)[number];

const COLOURS = ["red", "green", "blue", "yellow"];
const SIZE = 16;

/** The test size of each arch's tiny type (two ViT blocks and two text layers; classifiers with their momentum copy). */
const OVERRIDES: Record<TinyArch, Record<string, unknown>> = {
  blip_retrieval: { embed_dim: 16, queue_size: 16, momentum: 0.5 },
  blip_caption: {},
  blip_vqa: {},
  blip_classification: { num_classes: 3, use_distill: true, momentum: 0.5 },
  albef_classification: { num_classes: 3, use_distill: true, momentum: 0.5, fusion_layer: 1 },
};

/** The resolved config of `arch(tiny)` at the test size, with `extra` keys (dropout rates, ...) over it. */
export function tinyConfig(arch: TinyArch, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return modelConfigOf({
    arch, model_type: "tiny", image_size: SIZE, patch_size: 8, vit_width: 32, vit_depth: 2, vit_heads: 2,
    text_width: 32, text_layers: 2, text_heads: 2, max_txt_len: 12, init_std: 0.2, ...OVERRIDES[arch], ...extra,
  });
}

const texts = (ids: readonly number[]) => ids.map((i) => `a picture of a ${COLOURS[i % 4]} square`);
const tokenizer = new WordPieceTokenizer(buildVocab([...texts([0, 1, 2, 3]), "what colour is it", ...COLOURS]));

/** Batch `s` of 6 samples: noisy colour images, captions (questions for VQA), labels and answers. */
function batchOf(s: number): TrainBatch {
  const rng = new Rng(100 + s);
  const ids = Array.from({ length: 6 }, (_, i) => (i + s) % 4);
  const px = new Float32Array(ids.length * SIZE * SIZE * 3);
  for (let i = 0; i < px.length; i++) px[i] = ((ids[Math.floor(i / (SIZE * SIZE * 3))]! + (i % 3)) % 3 === 0 ? 1 : -1) + 0.3 * rng.normal();
  return {
    image: tf.tensor4d(px, [ids.length, SIZE, SIZE, 3]),
    text: texts(ids),
    imageIds: ids.map((_, i) => i),
    labels: ids.map((i) => i % 3),
    answers: ids.map((i) => [COLOURS[i % 4]!]),
    answerWeights: ids.map(() => [1]),
  };
}

export function tinyModel(arch: TinyArch, config: Record<string, unknown>): Model {
  const m = createModel({ arch, modelType: "tiny", config, loadWeights: null }, tokenizer, 7);
  if (Array.isArray(m)) throw new Error(m.join("; "));
  return m;
}

/**
 * The loss components of `steps` training steps (AdamW at lr 1e-3) of `model`, its steps drawing from an RNG seeded
 * `stepSeed` (StepContext.rng: dropout masks, ITM's negatives).
 */
export function stepLosses(model: Model, stepSeed: number, steps = 3): Record<string, number>[] {
  const opt = new AdamW(model.trainable, { weightDecay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, noDecay: noDecayOf() });
  const vars = [...model.trainable.values()];
  const nameOf = new Map([...model.trainable].map(([n, v]) => [v.name, n]));
  const rng = new Rng(stepSeed);
  const out: Record<string, number>[] = [];
  for (let s = 0; s < steps; s++) {
    const batch = batchOf(s);
    const ctx: StepContext = { epoch: 0, iters: s, itersPerEpoch: 10, rng };
    const prepared = model.prepareStep(batch, ctx);
    const r = tf.variableGrads(() => prepared.loss(), vars);
    r.value.dispose();
    out.push(componentValues(prepared));
    prepared.commit();
    prepared.dispose();
    batch.image.dispose();
    const grads: Record<string, tf.Tensor> = {};
    for (const [k, g] of Object.entries(r.grads)) grads[nameOf.get(k)!] = g;
    opt.apply(grads, 1e-3);
    tf.dispose(Object.values(grads));
  }
  opt.dispose();
  return out;
}

/** A test image batch (evaluation forward passes). */
export const evalBatch = (): TrainBatch => batchOf(9);
