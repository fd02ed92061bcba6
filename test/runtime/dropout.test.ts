// Dropout and drop-path: applied in training forward passes only (LAVIS's model.train(), the momentum copies' passes
// included), with inverted scaling, masks from the step's seeded RNG; rates of 0 leave the training bit for bit as it
// was before dropout existed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { TrainNoise, dropPathRates } from "../../src/runtime/nn/dropout.js";
import { multiHeadAttention } from "../../src/runtime/nn/attention.js";
import { Rng } from "../../src/runtime/train/rng.js";
import type { Model } from "../../src/runtime/models/model.js";
import { TINY_ARCHS, evalBatch, stepLosses, tinyConfig, tinyModel, type TinyArch } from "./tinySteps.js";
import { modelConfigOf } from "../harness/modelConfig.js";

await initBackend("wasm");

const RATES = { text_hidden_dropout: 0.1, text_attention_dropout: 0.1, vit_drop_path: 0.1 };

/** Mean of `f()` over `n` draws, elementwise. */
function meanOf(n: number, f: () => tf.Tensor): Float32Array {
  const sum = tf.tidy(() => {
    let acc = f();
    for (let i = 1; i < n; i++) acc = acc.add(f());
    return acc.div(n);
  });
  const v = sum.dataSync() as Float32Array;
  sum.dispose();
  return v;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

test("dropout: elements zeroed with probability p, the others scaled by 1/(1-p); the mean over masks is the undropped value", () => {
  const noise = new TrainNoise(new Rng(3));
  const x = tf.tensor1d(Array.from({ length: 64 }, (_, i) => Math.sin(i) * 2));
  const once = noise.dropout(x, 0.3).dataSync();
  const xs = x.dataSync();
  let zeros = 0;
  once.forEach((v, i) => {
    if (v === 0) zeros++;
    else assert.ok(Math.abs(v - xs[i]! / 0.7) < 1e-5, `kept value ${v} is not ${xs[i]} / 0.7`);
  });
  assert.ok(zeros > 5 && zeros < 35, `${zeros} of 64 zeroed at p = 0.3`);
  const mean = meanOf(4000, () => noise.dropout(x, 0.3));
  assert.ok(maxAbsDiff(mean, xs) < 0.12, `mean over masks differs from x by ${maxAbsDiff(mean, xs)}`);
  assert.is(noise.dropout(x, 0), x, "p = 0 is x itself (no op)");
  x.dispose();
});

test("drop-path: whole samples' branches zeroed with probability p, the others scaled by 1/keep_prob; the mean is the branch", () => {
  const noise = new TrainNoise(new Rng(4));
  const x = tf.randomNormal([8, 5, 4], 0, 1, "float32", 1);
  const xs = x.arraySync() as number[][][];
  let dropped = 0;
  for (let draw = 0; draw < 50; draw++) {
    const y = noise.dropPath(x, 0.25).arraySync() as number[][][];
    y.forEach((sample, b) => {
      const zero = sample.every((row) => row.every((v) => v === 0));
      if (zero) dropped++;
      else sample.forEach((row, t) => row.forEach((v, d) => assert.ok(Math.abs(v - xs[b]![t]![d]! / 0.75) < 1e-5, "a kept sample is scaled by 1/0.75 throughout")));
    });
  }
  assert.ok(dropped > 60 && dropped < 140, `${dropped} of 400 samples dropped at p = 0.25`);
  const mean = meanOf(4000, () => noise.dropPath(x, 0.25));
  assert.ok(maxAbsDiff(mean, x.dataSync()) < 0.15, `mean over masks differs by ${maxAbsDiff(mean, x.dataSync())}`);
  assert.is(noise.dropPath(x, 0), x);
  x.dispose();
});

test("attention dropout: probabilities dropped on the unfused path, the mean over masks the undropped attention; p = 0 unchanged", () => {
  const q = tf.randomNormal([2, 3, 8], 0, 1, "float32", 1);
  const k = tf.randomNormal([2, 5, 8], 0, 1, "float32", 2);
  const v = tf.randomNormal([2, 5, 8], 0, 1, "float32", 3);
  const plain = multiHeadAttention(q, k, v, 2, null);
  const noise = new TrainNoise(new Rng(5));
  const mean = meanOf(3000, () => multiHeadAttention(q, k, v, 2, null, { noise, p: 0.2 }));
  assert.ok(maxAbsDiff(mean, plain.dataSync()) < 0.06, `mean differs by ${maxAbsDiff(mean, plain.dataSync())}`);
  const one = multiHeadAttention(q, k, v, 2, null, { noise, p: 0.2 });
  assert.ok(maxAbsDiff(one.dataSync(), plain.dataSync()) > 1e-3, "one draw drops something");
  const off = multiHeadAttention(q, k, v, 2, null, { noise, p: 0 });
  assert.equal(Array.from(off.dataSync()), Array.from(plain.dataSync()));
  tf.dispose([q, k, v, plain, one, off]);
});

test("drop-path rates rise linearly over the blocks as torch.linspace(0, rate, depth)", () => {
  assert.equal(dropPathRates(0.1, 1), [0]);
  const r = dropPathRates(0.1, 12);
  assert.is(r[0], 0);
  assert.ok(Math.abs(r[11]! - 0.1) < 1e-12 && Math.abs(r[1]! - 0.1 / 11) < 1e-12);
});

test("stdlib: rates from the med config (0.1) and the ViT rule (large: always 0.1); the tiny types train without them", () => {
  const caption = modelConfigOf({ arch: "blip_caption", model_type: "base_coco" });
  assert.equal([caption["text_hidden_dropout"], caption["text_attention_dropout"], caption["vit_drop_path"]], [0.1, 0.1, 0]);
  const vqa = modelConfigOf({ arch: "blip_vqa", model_type: "vqav2" }); // vit_drop_path_rate 0.1 in its default config
  assert.is(vqa["vit_drop_path"], 0.1);
  const large = modelConfigOf({ arch: "blip_retrieval", model_type: "coco", vit_type: "large", vit_drop_path_rate: 0.3 });
  assert.is(large["vit_drop_path"], 0.1, "VisionTransformerEncoder.from_config: `0.1 or drop_path_rate` for large");
  const albef = modelConfigOf({ arch: "albef_classification", model_type: "ve", num_classes: 3 });
  assert.equal([albef["text_hidden_dropout"], albef["text_attention_dropout"]], [0.1, 0.1]);
  for (const arch of TINY_ARCHS) {
    const c = modelConfigOf({ arch, model_type: "tiny", num_classes: 3 });
    assert.equal([c["text_hidden_dropout"], c["text_attention_dropout"], c["vit_drop_path"]], [0, 0, 0], arch);
  }
});

// Losses of three training steps of each tiny type (wasm backend, step seed 5) before dropout existed in the runtime
// (commit 9bb4958): rates of 0 must reproduce them exactly.
const BEFORE_DROPOUT: Record<TinyArch, Record<string, number>[]> = {
  blip_retrieval: [
    { loss: 7.782318592071533, loss_itc: 6.904167175292969, loss_itm: 0.8781514167785645 },
    { loss: 5.381653308868408, loss_itc: 4.573236465454102, loss_itm: 0.8084168434143066 },
    { loss: 4.306945323944092, loss_itc: 3.633208990097046, loss_itm: 0.6737363338470459 },
  ],
  blip_caption: [
    { loss: 4.318941593170166, loss_lm: 4.318941593170166 },
    { loss: 3.778008222579956, loss_lm: 3.778008222579956 },
    { loss: 3.2075083255767822, loss_lm: 3.2075083255767822 },
  ],
  blip_vqa: [{ loss: 9.081107139587402 }, { loss: 6.455961227416992 }, { loss: 6.222108364105225 }],
  blip_classification: [{ loss: 1.17525053024292 }, { loss: 0.5602108240127563 }, { loss: 0.3263075649738312 }],
  albef_classification: [{ loss: 1.3703246116638184 }, { loss: 0.8827616572380066 }, { loss: 0.7654961943626404 }],
};

function lossesOf(arch: TinyArch, extra: Record<string, unknown>, stepSeed: number): Record<string, number>[] {
  const m = tinyModel(arch, tinyConfig(arch, extra));
  try {
    return stepLosses(m, stepSeed);
  } finally {
    m.dispose();
  }
}

for (const arch of TINY_ARCHS) {
  test(`${arch}: rates 0 give the losses of before dropout bit for bit; with rates the seed decides the masks`, () => {
    assert.equal(lossesOf(arch, {}, 5), BEFORE_DROPOUT[arch]);
    const a = lossesOf(arch, RATES, 5);
    assert.equal(lossesOf(arch, RATES, 5), a, "the same step seed gives the same training forward passes");
    assert.not.equal(lossesOf(arch, RATES, 6), a, "another step seed draws other masks");
    assert.not.equal(a, BEFORE_DROPOUT[arch], "dropout changes the training forward pass");
  });
}

/** The tensors of `state` as arrays, by name, for the names `keep` selects. */
async function tensorsOf(m: Model, keep: (name: string) => boolean): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [k, t] of await m.stateDict()) if (keep(k)) out[k] = Array.from(t.data as Float32Array);
  return out;
}

test("blip_retrieval: the momentum encoders' forward passes drop too (their features fill the queues)", async () => {
  const queues = async (extra: Record<string, unknown>, seed: number) => {
    const m = tinyModel("blip_retrieval", tinyConfig("blip_retrieval", extra));
    stepLosses(m, seed, 1);
    const q = await tensorsOf(m, (k) => k === "image_queue" || k === "text_queue");
    m.dispose();
    return q;
  };
  assert.equal(await queues({}, 5), await queues({}, 6), "without dropout the step seed does not reach the momentum features");
  assert.not.equal(await queues(RATES, 5), await queues(RATES, 6));
});

test("evaluation drops nothing: a model with dropout rates evaluates exactly as one without", async () => {
  const b = evalBatch();
  for (const arch of ["blip_classification", "albef_classification"] as const) {
    const logits = (extra: Record<string, unknown>) => {
      const m = tinyModel(arch, tinyConfig(arch, extra)) as unknown as { logits: (...a: unknown[]) => tf.Tensor; trainable: Map<string, tf.Variable>; dispose(): void };
      const enc = tf.tidy(() => m.logits((n: string) => m.trainable.get(n)!, "", b.image, tf.ones([6, 3], "int32"), tf.ones([6, 3]), null).arraySync());
      m.dispose();
      return enc;
    };
    assert.equal(logits(RATES), logits({}), arch);
  }
  const features = (extra: Record<string, unknown>) => {
    const m = tinyModel("blip_retrieval", tinyConfig("blip_retrieval", extra)) as unknown as Record<string, (...a: unknown[]) => { feat: tf.Tensor }> & { dispose(): void; main: { lookup(): unknown } };
    const f = tf.tidy(() => m["imageFeatures"]!.call(m, m.main.lookup(), "", b.image, null).feat.arraySync());
    m.dispose();
    return f;
  };
  assert.equal(features(RATES), features({}));
  b.image.dispose();
});

test.run();
