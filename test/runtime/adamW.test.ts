import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { AdamW, usesWeightDecay } from "../../src/runtime/optim/adamW.js";
import { initBackend } from "../../src/runtime/backend/initBackend.js";

// torch.optim.AdamW by hand for one scalar coordinate.
function reference(p: number, grads: number[], lrs: number[], wd: number, b1: number, b2: number, eps: number): number {
  let m = 0, v = 0;
  grads.forEach((g, i) => {
    const t = i + 1;
    p *= 1 - lrs[i]! * wd;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    p -= (lrs[i]! / (1 - b1 ** t)) * (m / (Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps));
  });
  return p;
}

test("weight decay exemptions follow LAVIS (ndim < 2, bias, ln, bn, norm)", () => {
  assert.ok(usesWeightDecay("visual_encoder.blocks.0.attn.qkv.weight", [192, 64]));
  assert.not.ok(usesWeightDecay("visual_encoder.blocks.0.attn.qkv.bias", [192]));
  assert.not.ok(usesWeightDecay("temp", []));
  assert.not.ok(usesWeightDecay("visual_encoder.norm.weight", [64]));
  assert.not.ok(usesWeightDecay("x.ln_post.weight", [4, 4]));
});

test("three AdamW steps match torch's formula, with and without decay", async () => {
  assert.ok((await initBackend("reference-cpu")).ok);
  const w = tf.variable(tf.tensor2d([[0.5, -1.0], [2.0, 0.25]]));
  const b = tf.variable(tf.tensor1d([0.3, -0.7]));
  const params = new Map<string, tf.Variable>([["layer.weight", w], ["layer.bias", b]]);
  const opt = new AdamW(params, { weightDecay: 0.1, beta1: 0.9, beta2: 0.98, eps: 1e-8 });
  const gw = [[0.1, -0.2, 0.3, 0.05], [0.2, 0.1, -0.1, 0.0], [-0.3, 0.4, 0.2, -0.05]];
  const gb = [[1.0, -2.0], [0.5, 0.5], [-1.0, 3.0]];
  const lrs = [0.01, 0.02, 0.005];
  for (let s = 0; s < 3; s++) opt.apply({ "layer.weight": tf.tensor2d(gw[s]!, [2, 2]), "layer.bias": tf.tensor1d(gb[s]!) }, lrs[s]!);
  const wInit = [0.5, -1.0, 2.0, 0.25];
  const bInit = [0.3, -0.7];
  const wGot = w.dataSync();
  const bGot = b.dataSync();
  wInit.forEach((p, j) => assert.ok(Math.abs(wGot[j]! - reference(p, gw.map((g) => g[j]!), lrs, 0.1, 0.9, 0.98, 1e-8)) < 1e-6, `weight[${j}]`));
  bInit.forEach((p, j) => assert.ok(Math.abs(bGot[j]! - reference(p, gb.map((g) => g[j]!), lrs, 0, 0.9, 0.98, 1e-8)) < 1e-6, `bias[${j}] has no decay`));
  assert.is(opt.step, 3);
  // A zero-gradient coordinate only decays.
  assert.ok(Math.abs(wGot[3]! - reference(0.25, [0.05, 0.0, -0.05], lrs, 0.1, 0.9, 0.98, 1e-8)) < 1e-6);
});

test.run();
