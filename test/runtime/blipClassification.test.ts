import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { BlipClassification } from "../../src/runtime/models/blipClassification.js";
import { readBlipClassificationConfig, type BlipClassificationConfig } from "../../src/runtime/models/blipClassificationConfig.js";
import { createModel } from "../../src/runtime/models/index.js";
import type { EvalBatch } from "../../src/runtime/models/model.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { modelConfigOf, modelDiagnostics } from "../harness/modelConfig.js";
import { STEP as step, classImages, classificationEvalContext, trainClassifier } from "./classifierHarness.js";

const RAW = {
  image_size: 16, patch_size: 8, vit_width: 32, vit_depth: 1, vit_heads: 2,
  text_width: 32, text_layers: 1, text_heads: 2, max_txt_len: 8, num_classes: 3, use_distill: false, init_std: 0.2,
};
const tokenizer = new WordPieceTokenizer(buildVocab(["a red thing", "a blue thing", "a green thing"]));

/** The model config as the compiler resolves it (stdlib defaults filled in). */
const full = (over: Record<string, unknown> = {}) => modelConfigOf({ arch: "blip_classification", model_type: "tiny", ...RAW, ...over });

function config(over: Record<string, unknown> = {}): BlipClassificationConfig {
  const c = readBlipClassificationConfig(full(over));
  if (Array.isArray(c)) throw new Error(c.join("; "));
  return c;
}

const t = suite("blip_classification");
t.before(async () => {
  assert.ok((await initBackend("wasm")).ok);
});

t("config: num_classes is required (LAVIS asserts num_classes > 1); sizes checked by the stdlib; defaults as BlipClassification", () => {
  const model = { arch: "blip_classification", model_type: "tiny", ...RAW };
  assert.equal(modelDiagnostics(model), []);
  const { num_classes: _omitted, ...noClasses } = model;
  assert.match(modelDiagnostics(noClasses).join("\n"), /LV3003 model.num_classes/);
  assert.match(modelDiagnostics({ ...model, num_classes: 1 }).join("\n"), /model.num_classes/);
  assert.match(modelDiagnostics({ ...model, vit_width: 30, vit_heads: 4 }).join("\n"), /LV4001 model.vit_width: `vit_width` must be divisible by vit_heads/);
  const c = readBlipClassificationConfig(modelConfigOf({ arch: "blip_classification", model_type: "base", num_classes: 3 }));
  assert.not.ok(Array.isArray(c));
  assert.is((c as BlipClassificationConfig).maxTxtLen, 40);
  assert.is((c as BlipClassificationConfig).useDistill, true);
  assert.is((c as BlipClassificationConfig).numClasses, 3);
  // Retrieval-only keys are not read here, so their values cannot cause errors.
  assert.not.ok(Array.isArray(readBlipClassificationConfig(full({ queue_size: -5 }))));
});

t("registry builds the arch; LAVIS state-dict names and shapes, momentum copies only with use_distill", async () => {
  const spec = { arch: "blip_classification", modelType: "tiny", config: full(), loadWeights: null };
  const m = createModel(spec, tokenizer, 1);
  assert.not.ok(Array.isArray(m));
  const sd = await (m as BlipClassification).stateDict();
  assert.equal(sd.get("cls_head.0.weight")!.shape, [32, 32]);
  assert.equal(sd.get("cls_head.2.weight")!.shape, [3, 32]);
  assert.equal(sd.get("cls_head.2.bias")!.shape, [3]);
  assert.equal(sd.get("text_encoder.encoder.layer.0.crossattention.self.key.weight")!.shape, [32, 32]);
  assert.ok(sd.has("visual_encoder.blocks.0.attn.qkv.weight"));
  assert.not.ok([...sd.keys()].some((k) => k.includes("_m.")));
  (m as BlipClassification).dispose();
  const distill = new BlipClassification(config({ use_distill: true }), tokenizer, 1);
  const names = [...(await distill.stateDict()).keys()];
  for (const k of ["visual_encoder_m.cls_token", "text_encoder_m.embeddings.word_embeddings.weight", "cls_head_m.2.weight"]) assert.ok(names.includes(k), k);
  distill.dispose();
  const bad = createModel({ ...spec, config: { ...full(), num_classes: undefined } }, tokenizer, 1);
  assert.ok(Array.isArray(bad));
});

t("forward: logits [B, num_classes]; padding to the longest text gives the same logits as max_txt_len padding", () => {
  const m = new BlipClassification(config(), tokenizer, 3);
  const img = classImages([0, 1], 5);
  const p = m.trainable;
  const lookup = (n: string) => p.get(n)!;
  const ids = (len: number) => {
    const e = tokenizer.encode(["a red thing", ""], len);
    return { ids: tf.tensor2d(e.ids, [2, len], "int32"), mask: tf.tensor2d(e.mask, [2, len]) };
  };
  const short = ids(5);
  const long = ids(8);
  const a = m.logits(lookup, "", img, short.ids, short.mask, null);
  const b = m.logits(lookup, "", img, long.ids, long.mask, null);
  assert.equal(a.shape, [2, 3]);
  const [da, db] = [a.dataSync(), b.dataSync()];
  for (let i = 0; i < da.length; i++) assert.ok(Math.abs(da[i]! - db[i]!) < 1e-4, `${da[i]} vs ${db[i]}`);
  tf.dispose([img, short.ids, short.mask, long.ids, long.mask, a, b]);
  m.dispose();
});

async function trainSteps(useDistill: boolean, steps: number): Promise<{ losses: number[]; acc: number }> {
  const m = new BlipClassification(config({ use_distill: useDistill, momentum: 0.9 }), tokenizer, 7);
  try {
    return await trainClassifier(m, steps);
  } finally {
    m.dispose();
  }
}

t("the loss falls and held-out accuracy rises on a tiny learnable set (plain cross-entropy)", async () => {
  const { losses, acc } = await trainSteps(false, 25);
  const head = (losses[0]! + losses[1]!) / 2;
  const tail = (losses[23]! + losses[24]!) / 2;
  assert.ok(tail < 0.5 * head, `loss did not fall: ${losses.map((x) => x.toFixed(3)).join(" ")}`);
  assert.ok(acc > 0.8, `held-out accuracy ${acc}`);
});

t("momentum distillation: finite loss that falls; the alpha ramp makes step 0 plain cross-entropy", async () => {
  const { losses } = await trainSteps(true, 15);
  assert.ok(losses.every(Number.isFinite));
  assert.ok(losses[14]! < losses[0]!, losses.join(" "));
  // At iters 0 alpha is 0: the loss equals the plain cross-entropy of the same weights.
  const plain = new BlipClassification(config({ use_distill: false }), tokenizer, 7);
  const distill = new BlipClassification(config({ use_distill: true }), tokenizer, 7);
  const image = classImages([0, 1, 2], 4);
  const batch = { image, text: ["", "", ""], imageIds: [0, 1, 2], labels: [0, 1, 2] };
  const values = [plain, distill].map((m) => {
    const prep = m.prepareStep(batch, step);
    const v = tf.tidy(() => prep.loss().dataSync()[0]!);
    prep.dispose();
    return v;
  });
  assert.ok(Math.abs(values[0]! - values[1]!) < 1e-5, values.join(" vs "));
  // Later in the epoch alpha > 0 and the soft targets change the loss.
  const later = distill.prepareStep(batch, { ...step, iters: 5 });
  const v = tf.tidy(() => later.loss().dataSync()[0]!);
  later.dispose();
  assert.ok(Math.abs(v - values[1]!) > 1e-6);
  tf.dispose([image]);
  plain.dispose();
  distill.dispose();
});

t("evaluate: result <split>_epoch<e> with instance_id/prediction/target, duplicates dropped, acc = argmax accuracy", async () => {
  const m = new BlipClassification(config(), tokenizer, 11);
  const labels = [0, 1, 2, 0];
  const img = classImages(labels, 8);
  const lookup = (n: string) => m.trainable.get(n)!;
  const e = tokenizer.encode(["", "", "", ""], 2);
  const expected = tf.tidy(() => tf.argMax(m.logits(lookup, "", img, tf.tensor2d(e.ids, [4, 2], "int32"), tf.tensor2d(e.mask, [4, 2]), null), 1).arraySync() as number[]);
  const first: EvalBatch = { image: img.slice([0, 0, 0, 0], [3, -1, -1, -1]), text: ["", "", ""], imageIds: [0, 1, 2], labels: [0, 1, 2], instanceIds: ["a", "b", "c"] };
  // The last sample repeats instance "a" (as a distributed sampler's padding does): LAVIS keeps the first record.
  const second: EvalBatch = { image: img.slice([3, 0, 0, 0], [1, -1, -1, -1]), text: [""], imageIds: [3], labels: [0], instanceIds: ["a"] };
  const out = (await m.evaluate!(classificationEvalContext([first, second], "test", "best")))!;
  assert.is(out.result!.name, "test_epochbest");
  assert.equal(out.result!.records, labels.slice(0, 3).map((target, j) => ({ instance_id: "abc"[j], prediction: expected[j], target })));
  const acc = expected.slice(0, 3).filter((p, j) => p === labels[j]).length / 3;
  assert.equal(out.metrics, { agg_metrics: acc, acc });
  assert.equal(Object.keys(out.metrics), ["agg_metrics", "acc"]);
  img.dispose();
  m.dispose();
});

t("labels outside num_classes are a data error naming the setting", () => {
  const m = new BlipClassification(config(), tokenizer, 1);
  const image = classImages([0], 1);
  try {
    m.prepareStep({ image, text: [""], imageIds: [0], labels: [7] }, step);
    assert.unreachable("accepted label 7 with 3 classes");
  } catch (e) {
    assert.is((e as Error).name, "DataError");
    assert.match((e as Error).message, /num_classes 3/);
  }
  image.dispose();
  m.dispose();
});

t.run();
