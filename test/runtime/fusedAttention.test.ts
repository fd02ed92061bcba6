import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { fusedAttentionSwitch } from "../../src/runtime/backend/fusedAttention.js";
import { additiveMaskFrom, multiHeadAttention } from "../../src/runtime/nn/attention.js";
import { engineKernelCalls } from "../harness/engineCalls.js";

// Multi-head attention as one kernel and one gradient kernel on wasm (fusedAttention.ts): the same bits as the ops
// path (head splits, products, scaling, mask, softmax, merge) forward and backward, with fewer engine calls.

/** The additive mask: none, [B, Tk] (padding), or 4-D causal ([B, 1, Tq, Tk], or [1, 1, Tq, Tk] shared by the batch). */
type Case = { name: string; b: number; tq: number; tk: number; d: number; heads: number; masked: false | "padding" | "causal" | "shared causal" };
const CASES: Case[] = [
  { name: "self-attention with a padding mask (BERT)", b: 3, tq: 7, tk: 7, d: 16, heads: 2, masked: "padding" },
  { name: "self-attention without a mask (ViT)", b: 2, tq: 5, tk: 5, d: 12, heads: 3, masked: false },
  { name: "cross-attention to more keys than queries", b: 2, tq: 4, tk: 9, d: 8, heads: 1, masked: "padding" },
  { name: "a decoder's causal mask with padding", b: 2, tq: 6, tk: 6, d: 8, heads: 2, masked: "causal" },
  { name: "new tokens over cached keys (incremental decoding)", b: 3, tq: 2, tk: 5, d: 8, heads: 2, masked: "shared causal" },
];

const bitsOf = (t: tf.Tensor): number[] => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

/** The output and d(sum(out * r))/d(q, k, v) as bits, with the fused kernel on or off. */
function run(c: Case, fused: boolean): Record<"out" | "dq" | "dk" | "dv", number[]> {
  fusedAttentionSwitch.enabled = fused;
  let result: Record<"out" | "dq" | "dk" | "dv", number[]> | undefined;
  try {
    tf.tidy(() => {
      const q = tf.randomNormal([c.b, c.tq, c.d], 0, 1, "float32", 1);
      const k = tf.randomNormal([c.b, c.tk, c.d], 0, 1, "float32", 2);
      const v = tf.randomNormal([c.b, c.tk, c.d], 0, 1, "float32", 3);
      const keep = tf.randomUniform([c.b, c.tk], 0, 1, "float32", 4).greater(0.3).toFloat();
      const causal = tf.linalg.bandPart(tf.ones([c.tq, c.tk]), -1, c.tk - c.tq).reshape([1, 1, c.tq, c.tk]);
      const masks = {
        padding: () => additiveMaskFrom(keep, -10000),
        causal: () => additiveMaskFrom(causal.mul(keep.reshape([c.b, 1, 1, c.tk])), -10000),
        "shared causal": () => additiveMaskFrom(causal, -10000),
      };
      const mask = c.masked ? masks[c.masked]() : null;
      const out = multiHeadAttention(q, k, v, c.heads, mask);
      const r = tf.randomNormal(out.shape, 0, 1, "float32", 5);
      const [dq, dk, dv] = tf.grads((qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) => tf.sum(tf.mul(multiHeadAttention(qq, kk, vv, c.heads, mask), r)))([q, k, v]);
      result = { out: bitsOf(out), dq: bitsOf(dq!), dk: bitsOf(dk!), dv: bitsOf(dv!) };
    });
  } finally {
    fusedAttentionSwitch.enabled = true;
  }
  return result!;
}

test("fused attention: the ops path's bits, forward and backward", async () => {
  const info = await initBackend("wasm");
  assert.ok(info.ok, "wasm starts");
  for (const c of CASES) {
    const ops = run(c, false);
    const fused = run(c, true);
    for (const key of ["out", "dq", "dk", "dv"] as const) assert.equal(fused[key], ops[key], `${c.name}: ${key}`);
  }
});

test("fused attention: fewer kernel calls through the engine, no tensor left behind", async () => {
  await initBackend("wasm");
  const [q, k, v] = [1, 2, 3].map((seed) => tf.randomNormal([2, 6, 8], 0, 1, "float32", seed));
  const mask = additiveMaskFrom(tf.ones([2, 6]), -10000);
  const kernelCalls = (fused: boolean): number => {
    fusedAttentionSwitch.enabled = fused;
    try {
      return engineKernelCalls(() => void tf.grads((qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) => tf.sum(multiHeadAttention(qq, kk, vv, 2, mask)))([q!, k!, v!]), `fused: ${fused}`);
    } finally {
      fusedAttentionSwitch.enabled = true;
    }
  };
  const ops = kernelCalls(false);
  const fused = kernelCalls(true);
  assert.ok(fused <= ops / 3, `fused ${fused} kernel calls against ${ops}`);
  // Forward only, outside a tidy: the attention weights between the two kernels do not stay behind.
  const before = tf.memory().numTensors;
  multiHeadAttention(q!, k!, v!, 2, mask).dispose();
  assert.is(tf.memory().numTensors, before, "the fused forward pass leaves nothing behind");
  tf.dispose([q!, k!, v!, mask]);
});

test("fused attention: the backward pass makes no host array as large as the attention weights", async () => {
  await initBackend("wasm");
  const engine = tf.engine() as unknown as { makeTensor: (values: ArrayLike<number>, ...rest: unknown[]) => tf.Tensor };
  const makeTensor = engine.makeTensor;
  let largest = 0;
  engine.makeTensor = function (values, ...rest) {
    largest = Math.max(largest, values?.length ?? 0);
    return makeTensor.call(this, values, ...rest);
  };
  try {
    tf.tidy(() => {
      const [q, k, v] = [1, 2, 3].map((seed) => tf.randomNormal([2, 16, 8], 0, 1, "float32", seed));
      largest = 0;
      tf.grads((qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) => tf.sum(multiHeadAttention(qq, kk, vv, 2, null)))([q!, k!, v!]);
    });
  } finally {
    engine.makeTensor = makeTensor;
  }
  assert.ok(largest < 2 * 2 * 16 * 16, `the largest host array made has ${largest} elements`);
});

test.run();
