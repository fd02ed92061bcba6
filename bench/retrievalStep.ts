// The training step bench:runtime measures, shared by its rows: a tiny blip_retrieval (bench/runtime.ts's SHAPES, the
// sizes bench/peer_retrieval_step.py gives PyTorch) with AdamW, on random images and captions of a 90-word vocabulary.
import * as tf from "@tensorflow/tfjs";
import { WordPieceTokenizer, buildVocab } from "../src/runtime/nn/tokenizer.js";
import { readBlipRetrievalConfig, type BlipRetrievalConfig } from "../src/runtime/models/blipRetrievalConfig.js";
import { BlipRetrieval } from "../src/runtime/models/blipRetrieval.js";
import { AdamW } from "../src/runtime/optim/adamW.js";
import { Rng } from "../src/runtime/train/rng.js";
import { modelConfigOf } from "../test/harness/modelConfig.js";
import { noDecayOf } from "../test/harness/runnerFacts.js";

export const SHAPES = {
  vit_width: 64, vit_depth: 2, vit_heads: 2, patch_size: 8, image_size: 32,
  text_width: 64, text_layers: 2, text_heads: 2, embed_dim: 32, queue_size: 64, max_txt_len: 16,
};

export interface StepBatch {
  readonly image: tf.Tensor4D;
  readonly text: string[];
  readonly imageIds: number[];
}

export const phaseNames = ["prepareStep (momentum EMA + momentum forward)", "forward + backward", "AdamW"] as const;
export type Phase = (typeof phaseNames)[number];

export interface RetrievalStep {
  /** Random images (seed 1) and captions of `size` samples. */
  batch(size: number): StepBatch;
  /** One training step on `batch`: forward, backward, AdamW. */
  step(batch: StepBatch, iteration: number): void;
  /** Milliseconds spent per phase, summed over the steps since the last reset. */
  readonly phases: Record<Phase, number>;
  /** Resolves once the parameters' new values exist (a GPU runs queued kernels after `step` returns). */
  sync(): Promise<void>;
  dispose(): void;
}

/** The step's model config: blip_retrieval(tiny) at SHAPES (its dropout rates are the tiny type's 0). */
export function retrievalStepConfig(): BlipRetrievalConfig {
  const cfg = readBlipRetrievalConfig(modelConfigOf({ arch: "blip_retrieval", model_type: "tiny", ...SHAPES }));
  if (Array.isArray(cfg)) throw new Error(cfg.join("; "));
  return cfg;
}

/** Builds the model and optimizer on the current tfjs backend. */
export function retrievalStep(): RetrievalStep {
  const rng = new Rng(0);
  const words = Array.from({ length: 90 }, (_, i) => `w${i}`);
  const tok = new WordPieceTokenizer(buildVocab(words));
  const cfg = retrievalStepConfig();
  const model = new BlipRetrieval(cfg, tok, 0);
  const opt = new AdamW(model.trainable, { weightDecay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, noDecay: noDecayOf() });
  const vars = [...model.trainable.values()];
  const nameOf = new Map([...model.trainable].map(([n, v]) => [v.name, n]));
  const phases = Object.fromEntries(phaseNames.map((p) => [p, 0])) as Record<Phase, number>;
  const made: tf.Tensor[] = [];
  return {
    phases,
    batch(size) {
      const captions = Array.from({ length: size }, () => Array.from({ length: SHAPES.max_txt_len - 2 }, () => words[rng.int(words.length)]).join(" "));
      const image = tf.randomNormal([size, SHAPES.image_size, SHAPES.image_size, 3], 0, 1, "float32", 1) as tf.Tensor4D;
      made.push(image);
      return { image, text: captions, imageIds: Array.from({ length: size }, (_, i) => i) };
    },
    step(batch, iteration) {
      let t = performance.now();
      const lap = (phase: Phase) => {
        const now = performance.now();
        phases[phase] += now - t;
        t = now;
      };
      const p = model.prepareStep(batch, { epoch: 1, iters: iteration, itersPerEpoch: 100, rng });
      lap("prepareStep (momentum EMA + momentum forward)");
      const { value, grads } = tf.variableGrads(p.loss, vars);
      lap("forward + backward");
      const named: Record<string, tf.Tensor> = {};
      for (const [k, g] of Object.entries(grads)) named[nameOf.get(k)!] = g;
      opt.apply(named, 1e-4);
      lap("AdamW");
      tf.dispose(Object.values(p.components()));
      p.commit();
      p.dispose();
      value.dispose();
      tf.dispose(Object.values(grads));
    },
    sync: async () => void (await vars[0]!.data()),
    dispose() {
      tf.dispose(made);
      model.dispose();
      opt.dispose();
    },
  };
}
