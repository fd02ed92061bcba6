// Synthetic retrieval data for runtime tests: each image is a seeded colour pattern, its captions name its colour and
// shape words, so image-text alignment is learnable. No dependency on src/runtime/data.
import { modelConfigOf, retrievalScoreFillOf } from "../harness/modelConfig.js";
import * as tf from "@tensorflow/tfjs";
import type { DatasetSpec, RunSpec } from "../../src/runtime/runSpec.js";
import type { DataFactory, TrainLoaderLike } from "../../src/runtime/train/dataFactory.js";
import type { RetrievalEvalData, TrainBatch } from "../../src/runtime/models/model.js";
import { Rng } from "../../src/runtime/train/rng.js";
import { evaluationNamesOf, noDecayOf } from "../harness/runnerFacts.js";

const COLOURS = ["red", "green", "blue", "yellow"];
const SHAPES = ["square", "circle", "stripe", "dot"];

export interface SyntheticOptions {
  readonly images: number;
  readonly size: number;
  readonly seed: number;
  /** Multiply the pixels of this 0-based global batch by NaN (NaN-stop test). */
  readonly nanAtBatch?: number;
}

function imagePixels(i: number, size: number): Float32Array {
  const colour = i % COLOURS.length;
  const shape = Math.floor(i / COLOURS.length) % SHAPES.length;
  const rng = new Rng(1000 + i);
  const px = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = shape === 0 ? x > size / 4 && x < (3 * size) / 4 && y > size / 4 && y < (3 * size) / 4
        : shape === 1 ? (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size / 3) ** 2
        : shape === 2 ? Math.floor(y / 4) % 2 === 0
        : (x % 8 < 3 && y % 8 < 3);
      for (let c = 0; c < 3; c++) px[(y * size + x) * 3 + c] = (on ? (c === colour % 3 ? 1.5 : -0.5) + (colour === 3 && c < 2 ? 1 : 0) : -1) + 0.1 * rng.normal();
    }
  }
  return px;
}

function caption(i: number, variant: number): string {
  const c = COLOURS[i % COLOURS.length]!;
  const s = SHAPES[Math.floor(i / COLOURS.length) % SHAPES.length]!;
  return variant === 0 ? `a ${c} ${s}` : `the ${s} is ${c}`;
}

export function syntheticFactory(o: SyntheticOptions): DataFactory & { globalBatches: number } {
  const state = { globalBatches: 0 };
  const factory = {
    get globalBatches() {
      return state.globalBatches;
    },
    async train(_ds: DatasetSpec, _split: string, opts: { batchSize: number; seed: number; dropLast: boolean }): Promise<TrainLoaderLike> {
      const n = o.images * 2; // two captions per image, as retrieval train records
      const batchesPerEpoch = Math.floor(n / opts.batchSize);
      return {
        batchesPerEpoch,
        texts: Array.from({ length: n }, (_, r) => caption(r >> 1, r & 1)),
        epoch(e: number): AsyncIterable<TrainBatch> {
          return {
            async *[Symbol.asyncIterator]() {
              const order = Rng.derive(opts.seed, e).shuffle(Array.from({ length: n }, (_, r) => r));
              for (let b = 0; b < batchesPerEpoch; b++) {
                const recs = order.slice(b * opts.batchSize, (b + 1) * opts.batchSize);
                const px = new Float32Array(recs.length * o.size * o.size * 3);
                recs.forEach((r, j) => px.set(imagePixels(r >> 1, o.size), j * o.size * o.size * 3));
                if (o.nanAtBatch === state.globalBatches) px.fill(NaN);
                state.globalBatches++;
                yield { image: tf.tensor4d(px, [recs.length, o.size, o.size, 3]), text: recs.map((r) => caption(r >> 1, r & 1)), imageIds: recs.map((r) => r >> 1) };
              }
            },
          };
        },
      };
    },
    async retrievalEval(_ds: DatasetSpec, _split: string, opts: { batchSize: number }): Promise<RetrievalEvalData> {
      const texts: string[] = [];
      const img2txt: number[][] = [];
      const txt2img: number[] = [];
      for (let i = 0; i < o.images; i++) {
        img2txt.push([0, 1].map((v) => (texts.push(caption(i, v)), txt2img.push(i), texts.length - 1)));
      }
      return {
        texts, img2txt, txt2img,
        imageBatches: {
          async *[Symbol.asyncIterator]() {
            for (let s = 0; s < o.images; s += opts.batchSize) {
              const k = Math.min(opts.batchSize, o.images - s);
              const px = new Float32Array(k * o.size * o.size * 3);
              for (let j = 0; j < k; j++) px.set(imagePixels(s + j, o.size), j * o.size * o.size * 3);
              yield { image: tf.tensor4d(px, [k, o.size, o.size, 3]) };
            }
          },
        },
      };
    },
  };
  return factory;
}

/** A tiny blip_retrieval as the compiler resolves it (stdlib defaults filled in). */
export const TINY_MODEL_CONFIG = modelConfigOf({
  arch: "blip_retrieval", model_type: "tiny",
  vit_width: 32, vit_depth: 1, vit_heads: 2, patch_size: 8, image_size: 16,
  text_width: 32, text_layers: 1, text_heads: 2, embed_dim: 16, queue_size: 32, max_txt_len: 8,
  momentum: 0.5, alpha: 0.4, init_std: 0.2,
});

const dataset: DatasetSpec = {
  name: "synthetic_retrieval", builder: "synthetic_retrieval", type: "default", dataType: "images", format: "retrieval", imageRoot: "/nonexistent",
  splits: [{ split: "train", annotations: [] }, { split: "val", annotations: [] }, { split: "test", annotations: [] }],
  visProcessor: {}, textProcessor: {},
};

export function tinySpec(outputDir: string, over: Partial<RunSpec> = {}): RunSpec {
  return {
    version: 1, task: "retrieval", runner: "runner_base", backend: "wasm", seed: 42,
    model: { arch: "blip_retrieval", modelType: "tiny", config: TINY_MODEL_CONFIG, loadWeights: null, ...retrievalScoreFillOf("blip_retrieval") },
    datasets: [dataset],
    optimizer: { name: "adamw", weightDecay: 0.05, betas: [0.9, 0.999], eps: 1e-8, noDecay: noDecayOf() },
    schedule: { name: "linear_warmup_cosine_lr", initLr: 2e-3, minLr: 1e-5, warmupLr: 1e-4, warmupSteps: 3, decayRate: null, maxEpoch: 3 },
    batchSizeTrain: 8, batchSizeEval: 16, accumGradIters: 1, maxEpoch: 3, maxIters: null, itersPerInnerEpoch: null, trainDatasetRatios: null,
    trainSplits: ["train"], validSplits: ["val"], testSplits: ["test"], evaluate: false, valFreq: 1, saveFreq: -1, saveLast: true,
    outputDir, resumeCkptPath: null, taskParams: { k_test: 4 }, config: { model: TINY_MODEL_CONFIG, run: { task: "retrieval", seed: 42 } },
    evaluationNames: evaluationNamesOf(over.runner ?? "runner_base"),
    ...over,
  };
}
