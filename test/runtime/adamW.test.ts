import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { AdamW, usesWeightDecay } from "../../src/runtime/optim/adamW.js";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { writableView } from "../../src/runtime/backend/inPlace.js";
import { ownedVariable } from "../../src/runtime/nn/paramStore.js";
import { momentumUpdate } from "../../src/runtime/nn/momentum.js";
import { noDecayOf } from "../harness/runnerFacts.js";

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

// RunnerBase.optimizer (lavis/runners/runner_base.py @eb3189b): `p.ndim < 2 or "bias" in n or "ln" in n or "bn" in n`
// has no weight decay; the rule is runner_base's stdlib `adamw` (RunSpec.optimizer.noDecay).
test("weight decay exemptions follow LAVIS (ndim < 2, bias, ln, bn)", () => {
  const rule = noDecayOf();
  assert.ok(usesWeightDecay("visual_encoder.blocks.0.attn.qkv.weight", [192, 64], rule));
  assert.not.ok(usesWeightDecay("visual_encoder.blocks.0.attn.qkv.bias", [192], rule));
  assert.not.ok(usesWeightDecay("temp", [], rule));
  assert.not.ok(usesWeightDecay("visual_encoder.norm.weight", [64], rule));
  assert.not.ok(usesWeightDecay("x.ln_post.weight", [4, 4], rule));
  assert.not.ok(usesWeightDecay("x.bn1.weight", [4, 4], rule));
  // "norm" is not in LAVIS's list: a matrix named so is decayed (no such parameter in lavisc's models, whose
  // LayerNorm parameters have ndim 1).
  assert.ok(usesWeightDecay("x.norm_proj.weight", [4, 4], rule));
});

function threeSteps(makeVariable: (t: tf.Tensor) => tf.Variable) {
  const w = makeVariable(tf.tensor2d([[0.5, -1.0], [2.0, 0.25]]));
  const b = makeVariable(tf.tensor1d([0.3, -0.7]));
  const params = new Map<string, tf.Variable>([["layer.weight", w], ["layer.bias", b]]);
  const opt = new AdamW(params, { weightDecay: 0.1, beta1: 0.9, beta2: 0.98, eps: 1e-8, noDecay: noDecayOf() });
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
  return { w, opt };
}

test("three AdamW steps match torch's formula, with and without decay (first step through tf ops)", async () => {
  assert.ok((await initBackend("reference-cpu")).ok);
  // tf.variable(t) keeps t alive beside it: the first update cannot write in place and takes the ops path (which
  // gives the variable storage of its own, so the next ones are in place).
  const kept = tf.tensor1d([1, 2]);
  assert.is(writableView(tf.variable(kept)), null);
  threeSteps((t) => tf.variable(t));
});

for (const backend of ["reference-cpu", "wasm"] as const) {
  test(`three AdamW steps match torch's formula updating in place (${backend})`, async () => {
    assert.ok((await initBackend(backend)).ok);
    const { w, opt } = threeSteps((t) => ownedVariable(t, true));
    assert.ok(writableView(w), "an owned variable is updated in place");
    assert.ok(writableView(opt.expAvg.get("layer.weight")!));
  });
}

test("a weight updated by AdamW on wasm is multiplied with its new values (XNNPACK caches packed weights by storage)", async () => {
  assert.ok((await initBackend("wasm")).ok);
  const n = 32;
  const w = ownedVariable(tf.randomNormal([n, n], 0, 1, "float32", 1), true);
  const x = tf.randomNormal([4, n], 0, 1, "float32", 2);
  const opt = new AdamW(new Map([["w.weight", w]]), { weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, noDecay: noDecayOf() });
  for (let step = 0; step < 3; step++) {
    tf.tidy(() => x.matMul(w).dataSync()); // primes the backend's operator cache with the current weight
    tf.tidy(() => opt.apply({ "w.weight": tf.onesLike(w) }, 0.1));
    const got = tf.tidy(() => x.matMul(w).dataSync());
    const want = tf.tidy(() => x.mul(1).matMul(w.mul(1)).dataSync()); // fresh operands: no cached operator
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-4, `step ${step}: ${g} vs ${want[i]}`));
  }
});

test("momentum encoders follow by EMA, in place or through ops, to the same values", async () => {
  assert.ok((await initBackend("wasm")).ok);
  const online = ownedVariable(tf.tensor1d([1, 2, 3]), true);
  const inPlace = ownedVariable(tf.tensor1d([0, 0, 0]), false);
  const shared = tf.tensor1d([0, 0, 0]);
  const viaOps = tf.variable(shared, false); // shares storage with `shared`: no in-place write
  momentumUpdate([[inPlace, online], [viaOps, online]], 0.9);
  momentumUpdate([[inPlace, online], [viaOps, online]], 0.9);
  const expected = [1, 2, 3].map((x) => x * (1 - 0.81));
  for (const v of [inPlace, viaOps]) [...v.dataSync()].forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) < 1e-6, `${x} vs ${expected[i]}`));
  assert.equal([...shared.dataSync()], [0, 0, 0], "a tensor sharing the copy's old storage is untouched");
});

test.run();
