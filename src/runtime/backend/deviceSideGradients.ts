// The gradients of Mean and Sum without a tensor of ones made on the host. tfjs's own gradients compute
// `dy * ones(x.shape)` (Mean then divides by the reduced size): `tf.ones` fills a typed array as large as x in
// JavaScript, and on a GPU backend that array is then copied to a fresh device buffer, at every LayerNorm and loss mean
// of every step. On WebGPU at LAVIS's sizes (blip_retrieval, ViT-B/16 at 384 px, batch 8) that was half of the host
// thread's time per step (bench/gpu.ts with GPU_CPU_PROFILE). Here dy is broadcast on the device (a Tile kernel)
// instead; multiplying by one changes no bit, so the gradients are the same numbers on every backend
// (test/runtime/deviceSideGradients.test.ts).
import * as tf from "@tensorflow/tfjs";

/** The reduction's axes as tfjs stores them: null or absent means every axis. */
type Attrs = { axis?: number | number[] | null };

const reducedAxes = (x: tf.Tensor, attrs: Attrs): number[] => tf.util.parseAxisParam(attrs.axis as number[], x.shape);

/** dy with the reduced axes restored as size 1, i.e. the shape that broadcasts to x. */
function expandedDy(dy: tf.Tensor, x: tf.Tensor, attrs: Attrs): tf.Tensor {
  const shape = x.shape.slice();
  for (const axis of reducedAxes(x, attrs)) shape[axis] = 1;
  return tf.reshape(dy, shape);
}

const sumGradient: tf.GradConfig = {
  kernelName: "Sum",
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as tf.Tensor[];
    return { x: () => tf.broadcastTo(expandedDy(dy as tf.Tensor, x!, attrs as Attrs), x!.shape) };
  },
};

const meanGradient: tf.GradConfig = {
  kernelName: "Mean",
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as tf.Tensor[];
    const reduceSize = reducedAxes(x!, attrs as Attrs).reduce((n, axis) => n * x!.shape[axis]!, 1);
    // (dy / n) broadcast: each element is the same division as tfjs's (dy * 1) / n, done before broadcasting.
    return { x: () => tf.broadcastTo(tf.div(expandedDy(dy as tf.Tensor, x!, attrs as Attrs), reduceSize), x!.shape) };
  },
};

/** Replaces tfjs's Mean and Sum gradients (for every backend: the gradient registry is global). Idempotent. */
export function installDeviceSideGradients(): void {
  tf.registerGradient(sumGradient);
  tf.registerGradient(meanGradient);
}
