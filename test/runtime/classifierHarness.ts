// Shared by the blip_classification and albef_classification tests: learnable synthetic class images, a short
// training loop and an evaluation context for the MultimodalClassifier.
import * as tf from "@tensorflow/tfjs";
import type { EvalBatch, EvalContext } from "../../src/runtime/models/model.js";
import type { MultimodalClassifier } from "../../src/runtime/models/multimodalClassifier.js";
import { AdamW } from "../../src/runtime/optim/adamW.js";
import { Rng } from "../../src/runtime/train/rng.js";
import { noDecayOf } from "../harness/runnerFacts.js";
import { componentValues } from "./stepValues.js";

/** Class k: a 16x16 image whose channel k is bright (plus seeded noise), so the label is learnable from pixels alone. */
export function classImages(labels: readonly number[], seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  const px = new Float32Array(labels.length * 16 * 16 * 3);
  labels.forEach((k, b) => {
    for (let i = 0; i < 256; i++) for (let c = 0; c < 3; c++) px[(b * 256 + i) * 3 + c] = (c === k ? 1 : -1) + 0.5 * rng.normal();
  });
  return tf.tensor4d(px, [labels.length, 16, 16, 3]);
}

export const STEP = { epoch: 0, iters: 0, itersPerEpoch: 10, rng: new Rng(1) };

export function classificationEvalContext(batches: EvalBatch[], split = "val", epoch: number | "best" = 2): EvalContext {
  return {
    task: "multimodal_classification", split, epoch, batchSize: 4, taskParams: {},
    batches: async () => (async function* () { yield* batches; })(),
    extras: async () => ({}),
  };
}

/** AdamW steps (lr 2e-3) on 12 images of 3 classes with empty texts; returns the losses and held-out accuracy. */
export async function trainClassifier(m: MultimodalClassifier, steps: number): Promise<{ losses: number[]; acc: number }> {
  const opt = new AdamW(m.trainable, { weightDecay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, noDecay: noDecayOf() });
  const vars = [...m.trainable.values()];
  const nameOf = new Map([...m.trainable].map(([n, v]) => [v.name, n]));
  const labels = Array.from({ length: 12 }, (_, i) => i % 3);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const image = classImages(labels, 100 + s);
    const prepared = m.prepareStep({ image, text: labels.map(() => ""), imageIds: labels.map((_, i) => i), labels }, { ...STEP, iters: s });
    const r = tf.variableGrads(() => prepared.loss(), vars);
    r.value.dispose();
    const grads: Record<string, tf.Tensor> = {};
    for (const [k, g] of Object.entries(r.grads)) grads[nameOf.get(k)!] = g;
    losses.push(componentValues(prepared)["loss"]!);
    prepared.commit();
    prepared.dispose();
    image.dispose();
    opt.apply(grads, 2e-3);
    tf.dispose(Object.values(grads));
  }
  // Held-out images of the same classes.
  const testLabels = [0, 1, 2, 2, 1, 0];
  const batch: EvalBatch = { image: classImages(testLabels, 999), text: testLabels.map(() => ""), imageIds: [0, 1, 2, 3, 4, 5], labels: testLabels, instanceIds: ["0", "1", "2", "3", "4", "5"] };
  const out = (await m.evaluate!(classificationEvalContext([batch])))!;
  opt.dispose();
  return { losses, acc: out.metrics["acc"]! };
}
