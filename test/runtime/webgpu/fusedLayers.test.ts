// LayerNorm and GELU as WGSL programs on WebGPU (webgpuFusedLayers.ts): the tf-ops path's values and gradients on
// the same adapter to float32 rounding, in far fewer GPU programs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../src/runtime/backend/initBackend.js";
import { webGpuFusedLayersSwitch } from "../../../src/runtime/backend/webgpuFusedLayers.js";
import { gelu, layerNorm } from "../../../src/runtime/nn/layers.js";
import { parityTest, webgpuUnavailable } from "./parity.js";

const unavailable = await webgpuUnavailable();

type Outputs = { values: Float32Array[]; programs: number };

/** LayerNorm and GELU with their gradients, read back, and how many GPU programs they ran. */
async function layers(fused: boolean): Promise<Outputs> {
  webGpuFusedLayersSwitch.enabled = fused;
  const backend = tf.backend() as unknown as { runWebGPUProgram: (...args: unknown[]) => unknown };
  const runProgram = backend.runWebGPUProgram;
  let programs = 0;
  backend.runWebGPUProgram = function (this: unknown, ...args: unknown[]) {
    programs++;
    return runProgram.apply(this, args);
  };
  try {
    const tensors = tf.tidy(() => {
      const x = tf.randomNormal([3, 5, 24], 0, 2, "float32", 1);
      const g = tf.randomNormal([24], 1, 0.5, "float32", 2);
      const b = tf.randomNormal([24], 0, 0.5, "float32", 3);
      const r = tf.randomNormal([3, 5, 24], 0, 1, "float32", 4);
      const ln = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => layerNorm((n) => (n.endsWith("weight") ? gg : bb), "ln", xx, 1e-12);
      programs = 0;
      const grads = tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(ln(xx, gg, bb).mul(r)))([x, g, b]);
      const [dGelu] = tf.grads((xx: tf.Tensor) => tf.sum(gelu(xx).mul(r)))([x]);
      return [ln(x, g, b), ...grads, gelu(x), dGelu!];
    });
    const counted = programs;
    const values = (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
    tf.dispose(tensors);
    return { values, programs: counted };
  } finally {
    backend.runWebGPUProgram = runProgram;
    webGpuFusedLayersSwitch.enabled = true;
  }
}

parityTest(test, "LayerNorm and GELU programs: the tf-ops path's values and gradients, fewer GPU programs", unavailable, async () => {
  const info = await initBackend("webgpu");
  assert.ok(info.ok, "webgpu starts");
  const ops = await layers(false);
  const fused = await layers(true);
  ["LayerNorm", "dx", "dgamma", "dbeta", "GELU", "dGELU"].forEach((name, i) => {
    const a = ops.values[i]!;
    const b = fused.values[i]!;
    assert.is(b.length, a.length, name);
    let worst = 0;
    for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j]! - b[j]!) / (1 + Math.abs(a[j]!)));
    assert.ok(worst < 1e-5, `${name}: relative difference ${worst}`);
  });
  assert.ok(fused.programs * 3 < ops.programs, `${fused.programs} GPU programs against ${ops.programs}`);
});

test.run();
