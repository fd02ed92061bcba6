// The randomness of a training forward pass, as PyTorch applies it in `model.train()`: dropout (torch nn.Dropout,
// inverted: a kept value is scaled by 1/(1-p), so the expectation is the undropped value) and drop-path (timm's DropPath,
// stochastic depth: a whole sample's residual branch is dropped, a kept one scaled by 1/keep_prob). Evaluation passes no
// `TrainNoise` and drops nothing; a rate of 0 adds no op at all, so a model without dropout runs as it did without this.
//
// Masks come from the training step's RNG (`StepContext.rng`: per rank, and checkpointed), one draw per mask that seeds
// a generator of its own: a run is the same for the same seed and world size, and a resumed run draws what the
// uninterrupted one would have.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../train/rng.js";

export class TrainNoise {
  constructor(private readonly rng: Rng) {}

  /** torch nn.Dropout(p) in training: each element zeroed with probability p, the others scaled by 1/(1-p). */
  dropout(x: tf.Tensor, p: number): tf.Tensor {
    return p > 0 ? this.masked(x, p, x.shape) : x;
  }

  /** timm DropPath(p) in training: each sample (first axis) zeroed with probability p, the others scaled by 1/(1-p). */
  dropPath(x: tf.Tensor, p: number): tf.Tensor {
    return p > 0 ? this.masked(x, p, [x.shape[0]!, ...x.shape.slice(1).map(() => 1)]) : x;
  }

  /** x times a 0 or 1/(1-p) mask of `shape` (broadcast over x). */
  private masked(x: tf.Tensor, p: number, shape: readonly number[]): tf.Tensor {
    const keep = 1 - p;
    const draws = new Rng(this.rng.nextUint32());
    const size = shape.reduce((a, b) => a * b, 1);
    const mask = new Float32Array(size);
    const scale = keep > 0 ? 1 / keep : 0;
    for (let i = 0; i < size; i++) mask[i] = draws.next() < keep ? scale : 0;
    return x.mul(tf.tensor(mask, shape as number[]));
  }
}

/** The dropout of a forward pass that may be training (`noise`) or evaluation (null: x itself). */
export function dropout(noise: TrainNoise | null, x: tf.Tensor, p: number): tf.Tensor {
  return noise ? noise.dropout(x, p) : x;
}

/** The drop-path of a forward pass that may be training (`noise`) or evaluation (null: x itself). */
export function dropPath(noise: TrainNoise | null, x: tf.Tensor, p: number): tf.Tensor {
  return noise ? noise.dropPath(x, p) : x;
}

/**
 * Drop-path rate of each of `depth` ViT blocks: linearly from 0 at the first to `rate` at the last (vit.py
 * VisionTransformer: `[x.item() for x in torch.linspace(0, drop_path_rate, depth)]`).
 */
export function dropPathRates(rate: number, depth: number): number[] {
  return Array.from({ length: depth }, (_, i) => (depth > 1 ? (rate * i) / (depth - 1) : 0));
}
