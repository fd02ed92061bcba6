import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";

/**
 * Runs `fn` inside a tidy and returns how many kernels it ran through tfjs's engine (each one a tape node, a tracked
 * tensor and a kernel lookup); asserts that it left no tensor and no backend storage behind.
 */
export function engineKernelCalls(fn: () => void, label: string): number {
  const engine = tf.engine() as unknown as { runKernel(name: string, ...rest: unknown[]): unknown };
  const runKernel = engine.runKernel;
  let calls = 0;
  engine.runKernel = function (this: unknown, name: string, ...rest: unknown[]) {
    calls++;
    return runKernel.call(this, name, ...rest);
  };
  const tensors = tf.memory().numTensors;
  const storage = tf.backend().numDataIds();
  try {
    tf.tidy(fn);
  } finally {
    engine.runKernel = runKernel;
  }
  assert.is(tf.memory().numTensors, tensors, `no tensor left behind (${label})`);
  assert.is(tf.backend().numDataIds(), storage, `no storage left behind (${label})`);
  return calls;
}
