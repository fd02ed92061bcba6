import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { BlipVqa } from "../../src/runtime/models/blipVqa.js";
import { readBlipVqaConfig, type BlipVqaConfig } from "../../src/runtime/models/blipVqaConfig.js";
import { createModel } from "../../src/runtime/models/index.js";
import type { EvalBatch, EvalContext } from "../../src/runtime/models/model.js";
import { sequenceLoss } from "../../src/runtime/nn/decoder.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { AdamW } from "../../src/runtime/optim/adamW.js";
import { modelConfigOf, modelDiagnostics } from "../harness/modelConfig.js";
import { noDecayOf } from "../harness/runnerFacts.js";
import { Rng } from "../../src/runtime/train/rng.js";
import { componentValues } from "./stepValues.js";
import { DataError } from "../../src/runtime/data/dataError.js";

const RAW = { image_size: 16, patch_size: 8, vit_width: 32, vit_depth: 1, vit_heads: 2, text_width: 32, text_layers: 1, text_heads: 2, max_txt_len: 8, init_std: 0.2 };
const COLOURS = ["red", "green", "blue"];
const QUESTION = "what color is it?";
const tokenizer = new WordPieceTokenizer(buildVocab([QUESTION, "is it red?", ...COLOURS, "yes", "no"]));

/** The model config as the compiler resolves it (stdlib defaults filled in). */
const full = () => modelConfigOf({ arch: "blip_vqa", model_type: "tiny", ...RAW });
/**
 * The vqa task's defaults as stdlib/tasks.lv declares them and blip_vqa's generate penalties as stdlib/evaluation.lv
 * does (the compiler fills both into RunSpec.taskParams).
 */
const VQA = { inference_method: "rank", num_ans_candidates: 128, num_beams: 3, max_len: 10, min_len: 1, repetition_penalty: 1, length_penalty: 1 };

function config(): BlipVqaConfig {
  const c = readBlipVqaConfig(full());
  if (Array.isArray(c)) throw new Error(c.join("; "));
  return c;
}

/** Colour k: channel k bright plus seeded noise, so the answer is learnable from pixels alone. */
function images(labels: readonly number[], seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  const px = new Float32Array(labels.length * 16 * 16 * 3);
  labels.forEach((k, b) => {
    for (let i = 0; i < 256; i++) for (let c = 0; c < 3; c++) px[(b * 256 + i) * 3 + c] = (c === k ? 1 : -1) + 0.5 * rng.normal();
  });
  return tf.tensor4d(px, [labels.length, 16, 16, 3]);
}

function evalContext(batches: EvalBatch[], taskParams: Record<string, unknown>, extras: Record<string, unknown>): EvalContext {
  return {
    task: "vqa", split: "val", epoch: 0, batchSize: 8, taskParams,
    batches: async () => (async function* () { yield* batches; })(),
    extras: async () => extras,
  };
}

const t = suite("blip_vqa");
t.before(async () => {
  assert.ok((await initBackend("wasm")).ok);
});

t("registry builds the arch with LAVIS names; tied decoder aliases survive a state-dict round trip", async () => {
  const m = createModel({ arch: "blip_vqa", modelType: "tiny", config: full(), loadWeights: null }, tokenizer, 1);
  assert.not.ok(Array.isArray(m));
  const model = m as BlipVqa;
  const sd = (await model.stateDict());
  assert.equal(sd.get("text_encoder.encoder.layer.0.crossattention.self.key.weight")!.shape, [32, 32]);
  assert.equal(sd.get("text_decoder.bert.encoder.layer.0.crossattention.self.key.weight")!.shape, [32, 32]);
  assert.equal(sd.get("text_decoder.cls.predictions.transform.dense.weight")!.shape, [32, 32]);
  assert.equal(sd.get("text_decoder.cls.predictions.decoder.weight")!.shape, [tokenizer.size, 32]);
  assert.ok(sd.has("visual_encoder.blocks.0.attn.qkv.weight"));
  const other = new BlipVqa(config(), tokenizer, 2);
  assert.is(other.loadStateDict(sd, true), null);
  assert.equal(Array.from((await other.stateDict()).get("text_decoder.bert.embeddings.word_embeddings.weight")!.data), Array.from(sd.get("text_decoder.bert.embeddings.word_embeddings.weight")!.data));
  const partial = new Map(sd);
  partial.delete("text_decoder.cls.predictions.bias");
  partial.set("extra.weight", { dtype: "F32", shape: [1], data: new Float32Array(1) });
  const issues = other.loadStateDict(partial, true);
  assert.ok(issues && !issues.loaded && issues.missing.includes("text_decoder.cls.predictions.bias") && issues.unexpected.includes("extra.weight"));
  model.dispose();
  other.dispose();
  assert.match(modelDiagnostics({ arch: "blip_vqa", model_type: "tiny", ...RAW, text_width: 30, text_heads: 4 }).join("\n"), /LV4001 model.text_width: `text_width` must be divisible by text_heads/);
});

t("sequence loss: next-token cross-entropy with label smoothing 0.1, padding ignored, summed per sequence", () => {
  const logitsData = [0.5, -1, 2, 0.1, 0, 1, -0.5, 0.3, 1.5, 0.2, -2, 0.7];
  const logits = tf.tensor3d(logitsData, [1, 3, 4]);
  const ids = tf.tensor2d([[0, 2, 1]], [1, 3], "int32");
  const full = sequenceLoss(logits, ids, tf.tensor2d([[1, 1, 1]]), 0.1).dataSync()[0]!;
  const padded = sequenceLoss(logits, ids, tf.tensor2d([[1, 1, 0]]), 0.1).dataSync()[0]!;
  const tokenLoss = (row: number, target: number) => {
    const z = logitsData.slice(row * 4, row * 4 + 4);
    const lse = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
    const logp = z.map((v) => v - lse);
    return 0.9 * -logp[target]! + 0.1 * -(logp.reduce((s, v) => s + v, 0) / 4);
  };
  assert.ok(Math.abs(padded - tokenLoss(0, 2)) < 1e-5, `${padded}`);
  assert.ok(Math.abs(full - tokenLoss(0, 2) - tokenLoss(1, 1)) < 1e-5, `${full}`);
  tf.dispose([logits, ids]);
});

t("training loss = Σ weight · answer loss / batch size; answers with zero weight do not count", () => {
  const m = new BlipVqa(config(), tokenizer, 3);
  const image = images([0, 1], 4);
  const step = { epoch: 0, iters: 0, itersPerEpoch: 1, rng: new Rng(1) };
  const lossOf = (answers: string[][], weights: number[][]) => {
    const p = m.prepareStep({ image, text: [QUESTION, QUESTION], imageIds: [0, 1], answers, answerWeights: weights }, step);
    const v = tf.tidy(() => p.loss().dataSync()[0]!);
    assert.is(componentValues(p)["loss"], v);
    p.dispose();
    return v;
  };
  const a = lossOf([["red"], ["green"]], [[1], [1]]);
  const b = lossOf([["red", "blue"], ["green"]], [[1, 0], [1]]);
  const redOnly = lossOf([["red"], ["green"]], [[1], [0]]);
  const greenOnly = lossOf([["red"], ["green"]], [[0], [1]]);
  assert.ok(Math.abs(a - b) < 1e-4, `${a} vs ${b}`);
  assert.ok(Math.abs(a - (redOnly + greenOnly)) < 1e-4);
  assert.ok(Math.abs(lossOf([["red"], ["green"]], [[0.5], [0.5]]) - a / 2) < 1e-4);
  image.dispose();
  m.dispose();
});

t("answers are tokenized as LAVIS's padding=\"longest\" without truncation; one past the decoder's positions stops the run", () => {
  const m = new BlipVqa(config(), tokenizer, 3);
  const image = images([0], 4);
  const step = { epoch: 0, iters: 0, itersPerEpoch: 1, rng: new Rng(1) };
  const lossOf = (answer: string) => {
    const p = m.prepareStep({ image, text: [QUESTION], imageIds: [0], answers: [[answer]], answerWeights: [[1]] }, step);
    const v = tf.tidy(() => p.loss().dataSync()[0]!);
    p.dispose();
    return v;
  };
  // 40 answer tokens: the last five (past the 32 tokens lavisc used to keep) change the loss.
  const head = Array(35).fill("red").join(" ");
  assert.ok(Math.abs(lossOf(`${head} red red red red red`) - lossOf(`${head} blue blue blue blue blue`)) > 1e-3);
  const short = new BlipVqa(readBlipVqaConfig(modelConfigOf({ arch: "blip_vqa", model_type: "tiny", ...RAW, text_positions: 16 })) as BlipVqaConfig, tokenizer, 3);
  assert.throws(() => short.prepareStep({ image, text: [QUESTION], imageIds: [0], answers: [[head]], answerWeights: [[1]] }, step), (e: unknown) => e instanceof DataError && /37 tokens, more than the answer decoder's 16 positions/.test(e.message));
  image.dispose();
  short.dispose();
  m.dispose();
});

t("trained on colours, rank and generate answer held-out images; result file and VQA accuracy", async () => {
  const m = new BlipVqa(config(), tokenizer, 7);
  const opt = new AdamW(m.trainable, { weightDecay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, noDecay: noDecayOf() });
  const vars = [...m.trainable.values()];
  const nameOf = new Map([...m.trainable].map(([n, v]) => [v.name, n]));
  const labels = Array.from({ length: 12 }, (_, i) => i % 3);
  const losses: number[] = [];
  for (let s = 0; s < 40; s++) {
    const image = images(labels, 100 + s);
    const p = m.prepareStep({ image, text: labels.map(() => QUESTION), imageIds: labels.map((_, i) => i), answers: labels.map((k) => [COLOURS[k]!]), answerWeights: labels.map(() => [1]) }, { epoch: 0, iters: s, itersPerEpoch: 40, rng: new Rng(1) });
    const r = tf.variableGrads(() => p.loss(), vars);
    r.value.dispose();
    const grads: Record<string, tf.Tensor> = {};
    for (const [k, g] of Object.entries(r.grads)) grads[nameOf.get(k)!] = g;
    losses.push(componentValues(p)["loss"]!);
    p.dispose();
    image.dispose();
    opt.apply(grads, 3e-3);
    tf.dispose(Object.values(grads));
  }
  assert.ok(losses.slice(-5).reduce((a, b) => a + b) < losses.slice(0, 5).reduce((a, b) => a + b) / 2, `losses ${losses.map((l) => l.toFixed(2))}`);
  const testLabels = [0, 1, 2, 2, 1, 0];
  const gt = new Map(testLabels.map((k, i) => [String(10 + i), { answers: Array(10).fill(COLOURS[k]!), answerType: "other" }]));
  const answerList = ["yes", "no", ...COLOURS];
  for (const over of [{ inference_method: "rank", num_ans_candidates: 3 }, { inference_method: "generate", num_beams: 2, max_len: 5 }, { inference_method: "generate", num_beams: 1 }]) {
    const params = { ...VQA, ...over };
    const batch: EvalBatch = { image: images(testLabels, 999), text: testLabels.map(() => QUESTION), imageIds: testLabels.map((_, i) => i), questionIds: testLabels.map((_, i) => String(10 + i)) };
    const out = (await m.evaluate(evalContext([batch], params, { answerList, vqaGroundTruth: gt })))!;
    assert.is(out.result!.name, "val_vqa_result");
    assert.equal(out.result!.records, testLabels.map((k, i) => ({ question_id: 10 + i, answer: COLOURS[k] })), JSON.stringify(params));
    assert.equal(out.metrics, { agg_metrics: 100, other: 100 });
  }
  // aok_vqa (stdlib vqa_scoring: AOKVQATask._report_metrics): min(1, matches / 3), records {question_id, pred_ans, gt_ans}
  // with the question id as written; two of ten direct answers right give 2/3 (VQAEval would give 0.6).
  const aok = { accuracy: "matches" as const, fullCreditMatches: 3, normalisePrediction: false, normaliseGroundTruth: false, metricKeys: ["acc"] };
  const direct = new Map(testLabels.map((k, i) => [String(10 + i), { answers: i === 0 ? [...Array(8).fill("yes"), COLOURS[k]!, COLOURS[k]!] : Array(10).fill(COLOURS[k]!), written: Array(10).fill(COLOURS[k]!) }]));
  const aokBatch: EvalBatch = { image: images(testLabels, 999), text: testLabels.map(() => QUESTION), imageIds: testLabels.map((_, i) => i), questionIds: testLabels.map((_, i) => String(10 + i)) };
  const scored = (await m.evaluate({ ...evalContext([aokBatch], { ...VQA, num_ans_candidates: 3 }, { answerList, vqaGroundTruth: direct }), task: "aok_vqa", vqaScoring: aok }))!;
  const aokAcc = ([2 / 3, 1, 1, 1, 1, 1].reduce((a, b) => a + b, 0) / 6) * 100; // Python's sum(acc) / len(acc) * 100
  assert.equal(scored.metrics, { agg_metrics: aokAcc, acc: aokAcc });
  assert.equal(scored.result!.records[1], { question_id: "11", pred_ans: COLOURS[testLabels[1]!], gt_ans: Array(10).fill(COLOURS[testLabels[1]!]) });
  // Without ground truth there is nothing to score (VQATask returns {}); rank needs the answer list.
  const noGt = (await m.evaluate(evalContext([{ image: images([0], 5), text: [QUESTION], imageIds: [0], questionIds: [1] }], VQA, { answerList })))!;
  assert.equal(noGt.metrics, {});
  try {
    await m.evaluate(evalContext([], VQA, {}));
    assert.unreachable("rank without an answer list");
  } catch (e) {
    assert.is((e as Error).name, "DataError");
  }
  opt.dispose();
  m.dispose();
});

t.run();
