import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { installDeviceSideGradients } from "../../src/runtime/backend/deviceSideGradients.js";

// The Mean and Sum gradients that broadcast dy on the device (deviceSideGradients.ts): the same bits as tfjs's own
// gradients, for every reduction lavisc's models use, and no host-made tensor as large as the input.

const tfjsMean = tf.getGradient("Mean")!;
const tfjsSum = tf.getGradient("Sum")!;

type Reduction = { name: string; f: (x: tf.Tensor) => tf.Tensor };
const REDUCTIONS: Reduction[] = [
  { name: "mean over the last axis, kept (LayerNorm)", f: (x) => tf.mean(x, -1, true) },
  { name: "mean over axes 0 and 2", f: (x) => tf.mean(x, [0, 2]) },
  { name: "mean of everything (a loss)", f: (x) => tf.mean(x) },
  { name: "sum over axis 1", f: (x) => tf.sum(x, 1) },
  { name: "sum over the last axis, kept", f: (x) => tf.sum(x, -1, true) },
  { name: "sum of everything", f: (x) => tf.sum(x) },
];

/** d/dx of sum(reduction(x) * w) (a weight so that dy is not all ones), as bits. */
function gradientBits(r: Reduction): Uint32Array {
  const g = tf.tidy(() => {
    const x = tf.randomNormal([3, 5, 7], 0, 1, "float32", 11);
    return tf.grad((v: tf.Tensor) => {
      const y = r.f(v);
      return tf.sum(tf.mul(y, tf.randomNormal(y.shape, 0, 1, "float32", 12)));
    })(x);
  });
  const bits = new Uint32Array((g.dataSync() as Float32Array).slice().buffer);
  g.dispose();
  return bits;
}

function withTfjsGradients<T>(fn: () => T): T {
  tf.registerGradient(tfjsMean);
  tf.registerGradient(tfjsSum);
  try {
    return fn();
  } finally {
    installDeviceSideGradients();
  }
}

test("Mean and Sum gradients: the same bits as tfjs's own on cpu and wasm", async () => {
  for (const backend of ["reference-cpu", "wasm"] as const) {
    const info = await initBackend(backend);
    assert.ok(info.ok, `${backend} starts`);
    for (const r of REDUCTIONS) {
      const theirs = withTfjsGradients(() => gradientBits(r));
      const ours = gradientBits(r);
      assert.equal(Array.from(ours), Array.from(theirs), `${backend}: ${r.name}`);
    }
  }
});

test("Mean and Sum gradients make no host tensor as large as the input", async () => {
  await initBackend("reference-cpu");
  const engine = tf.engine() as unknown as { makeTensor: (values: ArrayLike<number>, ...rest: unknown[]) => tf.Tensor };
  const original = engine.makeTensor;
  const largest = (fn: () => void): number => {
    let max = 0;
    engine.makeTensor = function (values, ...rest) {
      max = Math.max(max, values?.length ?? 0);
      return original.call(this, values, ...rest);
    };
    try {
      fn();
    } finally {
      engine.makeTensor = original;
    }
    return max;
  };
  for (const r of REDUCTIONS) {
    tf.tidy(() => {
      const x = tf.randomNormal([3, 5, 7], 0, 1, "float32", 11);
      const grad = tf.grad((v: tf.Tensor) => tf.sum(r.f(v)));
      assert.ok(withTfjsGradients(() => largest(() => grad(x))) >= x.size, `tfjs's own gradient fills ones on the host: ${r.name}`);
      assert.ok(largest(() => grad(x)) < x.size, `ours does not: ${r.name}`);
    });
  }
});

test.run();
