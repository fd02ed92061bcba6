import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { fusedLinearSwitch } from "../../src/runtime/backend/fusedLinear.js";
import { linear } from "../../src/runtime/nn/layers.js";
import { engineKernelCalls } from "../harness/engineCalls.js";

// The linear layer as one kernel and one gradient kernel on wasm (fusedLinear.ts): the same bits as the ops path
// (reshape, matMul, add, reshape) forward and backward, with fewer kernel calls through the engine.

type Case = { name: string; x: number[]; out: number; bias: boolean };
const CASES: Case[] = [
  { name: "rank-3 input with a bias (every transformer layer)", x: [3, 5, 16], out: 24, bias: true },
  { name: "rank-2 input without a bias", x: [7, 16], out: 8, bias: false },
  { name: "rank-1 input", x: [16], out: 12, bias: true },
  { name: "width not a multiple of 8 (the plain SIMD kernel)", x: [2, 9, 10], out: 6, bias: true },
];

const bitsOf = (t: tf.Tensor): number[] => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

/** y and d(sum(y * r))/d(x, w, b) as bits, with linear's fused kernel on or off. */
function run(c: Case, fused: boolean): { y: number[]; dx: number[]; dw: number[]; db: number[] | null } {
  fusedLinearSwitch.enabled = fused;
  try {
    let result: ReturnType<typeof run> | undefined;
    tf.tidy(() => {
      const x = tf.randomNormal(c.x, 0, 1, "float32", 1);
      const w = tf.randomNormal([c.out, c.x.at(-1)!], 0, 1, "float32", 2);
      const b = tf.randomNormal([c.out], 0, 1, "float32", 3);
      const params = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => (name: string) => (name.endsWith("weight") ? ww : name.endsWith("bias") ? bb : xx);
      const y = linear(params(x, w, b), "l", x, c.bias);
      const r = tf.randomNormal(y.shape, 0, 1, "float32", 4);
      const loss = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor = b) => tf.sum(tf.mul(linear(params(xx, ww, bb), "l", xx, c.bias), r));
      const grads = c.bias ? tf.grads(loss)([x, w, b]) : tf.grads((xx: tf.Tensor, ww: tf.Tensor) => loss(xx, ww))([x, w]);
      result = { y: bitsOf(y), dx: bitsOf(grads[0]!), dw: bitsOf(grads[1]!), db: c.bias ? bitsOf(grads[2]!) : null };
    });
    return result!;
  } finally {
    fusedLinearSwitch.enabled = true;
  }
}

test("fused linear: the ops path's bits, forward and backward", async () => {
  const info = await initBackend("wasm");
  assert.ok(info.ok, "wasm starts");
  for (const c of CASES) {
    const ops = run(c, false);
    const fused = run(c, true);
    assert.equal(fused.y, ops.y, `${c.name}: y`);
    assert.equal(fused.dx, ops.dx, `${c.name}: dx`);
    assert.equal(fused.dw, ops.dw, `${c.name}: dW`);
    assert.equal(fused.db, ops.db, `${c.name}: db`);
  }
});

test("fused linear: fewer kernel calls through the engine, no tensor left behind", async () => {
  await initBackend("wasm");
  const x = tf.randomNormal([4, 6, 16], 0, 1, "float32", 1);
  const w = tf.randomNormal([8, 16], 0, 1, "float32", 2);
  const b = tf.randomNormal([8], 0, 1, "float32", 3);
  const p = (name: string) => (name.endsWith("weight") ? w : b);
  const kernelCalls = (fused: boolean): number => {
    fusedLinearSwitch.enabled = fused;
    try {
      return engineKernelCalls(() => void tf.grads((xx: tf.Tensor) => tf.sum(linear(p, "l", xx)))([x]), `fused: ${fused}`);
    } finally {
      fusedLinearSwitch.enabled = true;
    }
  };
  const ops = kernelCalls(false);
  const fused = kernelCalls(true);
  assert.ok(fused <= ops - 6, `fused ${fused} kernel calls against ${ops}`);
  tf.dispose([x, w, b]);
});

test.run();
