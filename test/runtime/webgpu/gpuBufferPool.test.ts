// Giving the WebGPU backend's pooled buffers back (gpuBufferPool.ts): what is freed goes back to the GPU, what is in
// use stays, and the pool keeps pooling afterwards.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../src/runtime/backend/initBackend.js";
import { releasePooledGpuBuffers } from "../../../src/runtime/backend/gpuBufferPool.js";
import { parityTest, webgpuUnavailable } from "./parity.js";

const unavailable = await webgpuUnavailable();
const gpuBytes = () => tf.memory() as unknown as { numBytesInGPU: number; numBytesAllocatedInGPU: number };

parityTest(test, "pooled buffers go back to the GPU; tensors in use keep theirs and pooling goes on", unavailable, async () => {
  const info = await initBackend("webgpu");
  assert.ok(info.ok, "webgpu starts");
  const kept = tf.add(tf.ones([1000]), 1);
  await kept.data();
  for (const n of [4096, 8192, 12288]) {
    const t = tf.tidy(() => tf.mul(tf.randomNormal([n]), 2));
    await t.data();
    t.dispose();
  }
  const before = gpuBytes();
  assert.ok(before.numBytesAllocatedInGPU > before.numBytesInGPU, "freed tensors' buffers are pooled");
  const released = releasePooledGpuBuffers();
  const after = gpuBytes();
  assert.is(released, before.numBytesAllocatedInGPU - before.numBytesInGPU);
  assert.is(after.numBytesAllocatedInGPU, after.numBytesInGPU, "nothing pooled is left");
  assert.equal(Array.from(await kept.data()).slice(0, 3), [2, 2, 2], "a tensor in use keeps its buffer");
  const again = tf.tidy(() => tf.mul(tf.ones([4096]), 3));
  assert.is((await again.data())[4095], 3);
  again.dispose();
  assert.ok(gpuBytes().numBytesAllocatedInGPU > gpuBytes().numBytesInGPU, "freed buffers are pooled again afterwards");
  kept.dispose();
  assert.is(releasePooledGpuBuffers() > 0, true);
});

test("on another backend there is nothing to give back", async () => {
  await initBackend("reference-cpu");
  tf.tidy(() => tf.ones([100]).add(1));
  assert.is(releasePooledGpuBuffers(), 0);
});

test.run();
