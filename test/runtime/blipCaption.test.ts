import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { BlipCaption } from "../../src/runtime/models/blipCaption.js";
import { readBlipCaptionConfig, type BlipCaptionConfig } from "../../src/runtime/models/blipCaptionConfig.js";
import { lmTargets, readGenerationParams } from "../../src/runtime/models/blipCaptionText.js";
import { decoderHidden, decoderCrossCache, decoderStep, declareDecoder, labelSmoothedLoss } from "../../src/runtime/nn/decoder.js";
import { ParamStore } from "../../src/runtime/nn/paramStore.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { Rng } from "../../src/runtime/train/rng.js";
import type { EvalBatch, EvalContext } from "../../src/runtime/models/model.js";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { componentValues } from "./stepValues.js";
import { modelConfigOf, modelDiagnostics } from "../harness/modelConfig.js";

await initBackend("wasm"); // the pure-JS cpu backend is far slower

const COLOURS = ["red", "green", "blue", "yellow"];
const PROMPT = "a picture of ";
const captionOf = (i: number) => `a ${COLOURS[i % 4]} square`;
const tokenizer = new WordPieceTokenizer(buildVocab(COLOURS.map((_, i) => PROMPT + captionOf(i))));

function config(extra: Record<string, unknown> = {}): BlipCaptionConfig {
  const c = readBlipCaptionConfig(modelConfigOf({
    arch: "blip_caption", model_type: "tiny", image_size: 16, patch_size: 8, vit_width: 32, vit_depth: 1, vit_heads: 2,
    text_width: 32, text_layers: 1, text_heads: 2, max_txt_len: 12, prompt: PROMPT, init_std: 0.2, ...extra,
  }));
  if (Array.isArray(c)) throw new Error(c.join("; "));
  return c;
}

/** Solid colour images with noise; colour i%4 (RGB + yellow). */
function images(ids: readonly number[], rng: Rng): tf.Tensor4D {
  const s = 16;
  const px = new Float32Array(ids.length * s * s * 3);
  ids.forEach((id, b) => {
    const c = id % 4;
    const rgb = c === 3 ? [1, 1, -1] : [0, 1, 2].map((k) => (k === c ? 1 : -1));
    for (let i = 0; i < s * s; i++) for (let k = 0; k < 3; k++) px[(b * s * s + i) * 3 + k] = rgb[k]! + 0.3 * rng.normal();
  });
  return tf.tensor4d(px, [ids.length, s, s, 3]);
}

test("config: BlipCaption.from_config's defaults come from the stdlib; the runtime adds none of its own", () => {
  const c = readBlipCaptionConfig(modelConfigOf({ arch: "blip_caption", model_type: "base_coco" }));
  assert.ok(!Array.isArray(c));
  if (!Array.isArray(c)) {
    assert.is(c.maxTxtLen, 40);
    assert.is(c.prompt, "a picture of ");
    assert.is(c.vit.width, 768);
  }
  const bad = readBlipCaptionConfig({ ...modelConfigOf({ arch: "blip_caption", model_type: "base_coco" }), prompt: 3, vit_width: undefined });
  assert.ok(Array.isArray(bad) && bad.length === 2, JSON.stringify(bad));
  assert.match(modelDiagnostics({ arch: "blip_caption", model_type: "base_coco", image_size: 30 }).join("\n"), /LV4001 model.image_size: `image_size` must be a multiple of patch_size/);
  // The generation settings are the task's resolved values (stdlib/tasks.lv); absent ones are not defaulted here.
  const g = readGenerationParams({ num_beams: 3, max_len: 20, min_len: 5, repetition_penalty: 1.15, length_penalty: 0 });
  assert.equal(g, { numBeams: 3, maxLen: 20, minLen: 5, repetitionPenalty: 1.15, lengthPenalty: 0, reportMetric: true });
  assert.throws(() => readGenerationParams({}), /run.num_beams is not set/);
});

test("LM targets: shifted by one, bos first, prompt and padding not scored", () => {
  const enc = tokenizer.encode([PROMPT + "a red square", PROMPT + "a red"], 12);
  const bos = tokenizer.vocab.indexOf("[DEC]");
  const promptLength = tokenizer.tokenize(PROMPT).length + 1; // [DEC] a picture of
  assert.is(promptLength, 4);
  const t = lmTargets(enc, bos, promptLength);
  assert.is(t.t, 8); // [CLS] a picture of a red square [SEP]
  assert.is(t.ids[0], bos);
  assert.equal([...t.labels.subarray(0, 7)], [...enc.ids.subarray(1, 8)]);
  // Row 0 scores "a red square [SEP]" (targets 3..6), row 1 "a red [SEP]" (its padding is not scored).
  assert.equal([...t.weights.subarray(0, 7)], [0, 0, 0, 1, 1, 1, 1]);
  assert.equal([...t.weights.subarray(7, 14)], [0, 0, 0, 1, 1, 1, 0]);
  assert.is(tokenizer.decode([...t.ids.subarray(0, 8)]), "a picture of a red square");
});

test("label-smoothed loss matches torch CrossEntropyLoss(label_smoothing=0.1) by hand", () => {
  // p = [0.25, 0.75], target 1: 0.9·(-ln .75) + 0.1·(-(ln .25 + ln .75)/2); the second token is ignored.
  const logits = tf.tensor3d([[[0, Math.log(3)], [5, 0]]]);
  const loss = labelSmoothedLoss(logits, tf.tensor2d([[1, 0]], [1, 2], "int32"), tf.tensor2d([[1, 0]]), 0.1);
  const want = 0.9 * -Math.log(0.75) + 0.1 * (-(Math.log(0.25) + Math.log(0.75)) / 2);
  assert.ok(Math.abs(loss.dataSync()[0]! - want) < 1e-5);
});

test("incremental decoding with the key/value cache equals the full causal forward pass", () => {
  const store = new ParamStore(new Rng(3), true, 0.2);
  const c = { vocabSize: 20, maxPositions: 16, width: 16, layers: 2, heads: 2, intermediate: 32, encoderWidth: 8, initializerRange: 0.02, layerNormEps: 1e-12, hiddenDropout: 0, attentionDropout: 0, attentionMaskFill: -10000 };
  declareDecoder(store, "d.", c);
  const p = store.lookup();
  const ids = [[1, 5, 7, 9, 3], [1, 4, 4, 2, 8]];
  tf.tidy(() => {
    const image = tf.randomNormal([2, 3, 8], 0, 1, "float32", 5) as tf.Tensor3D;
    const full = decoderHidden(p, "d.", c, tf.tensor2d(ids, undefined, "int32"), tf.ones([2, 5]) as tf.Tensor2D, image).arraySync();
    const cross = decoderCrossCache(p, "d.", c, image);
    let step = decoderStep(p, "d.", c, tf.tensor2d(ids.map((r) => r.slice(0, 2)), undefined, "int32"), { self: [], cross });
    const got: number[][][] = [step.hidden.arraySync()[0]!, step.hidden.arraySync()[1]!];
    for (let j = 2; j < 5; j++) {
      step = decoderStep(p, "d.", c, tf.tensor2d(ids.map((r) => [r[j]!]), undefined, "int32"), { self: step.self, cross });
      const h = step.hidden.arraySync();
      got[0]!.push(h[0]![0]!);
      got[1]!.push(h[1]![0]!);
    }
    for (let b = 0; b < 2; b++) for (let j = 0; j < 5; j++) for (let d = 0; d < 16; d++) {
      assert.ok(Math.abs(full[b]![j]![d]! - got[b]![j]![d]!) < 1e-4, `b${b} t${j} d${d}`);
    }
  });
  store.dispose();
});

test("training learns colour captions; evaluate writes LAVIS's result records and metrics", async () => {
  const model = new BlipCaption(config(), tokenizer, 7);
  assert.is(model.promptLength, 4);
  const vars = [...model.trainable.values()];
  const opt = tf.train.adam(3e-3);
  const rng = new Rng(11);
  let first = 0;
  let lastLoss = 0;
  for (let step = 0; step < 60; step++) {
    const ids = Array.from({ length: 16 }, () => rng.int(4));
    const image = images(ids, rng);
    const st = model.prepareStep({ image, text: ids.map((i) => PROMPT + captionOf(i)), imageIds: ids }, { epoch: 0, iters: step, itersPerEpoch: 60, rng });
    opt.minimize(() => st.loss(), false, vars);
    const l = componentValues(st)["loss_lm"]!;
    if (step === 0) first = l;
    lastLoss = l;
    st.dispose();
    image.dispose();
  }
  assert.ok(lastLoss < first * 0.5, `loss ${first} → ${lastLoss}`);

  const logs: string[] = [];
  const evalIds = [0, 1, 2, 3, 4, 5, 6, 7];
  const ctx = (taskParams: Record<string, unknown>): EvalContext => ({
    task: "captioning", split: "val", epoch: 0, batchSize: 4, taskParams, log: (m) => logs.push(m),
    extras: async () => ({}),
    batches: async () => (async function* (): AsyncGenerator<EvalBatch> {
      for (let s = 0; s < evalIds.length; s += 4) {
        const ids = evalIds.slice(s, s + 4);
        yield { image: images(ids, rng), text: ids.map(() => ""), imageIds: ids, sourceImageIds: ids.map((i) => 100 + i), references: ids.map((i) => [captionOf(i), `${COLOURS[i % 4]} square`]) };
      }
    })(),
  });
  const out = (await model.evaluate(ctx({ num_beams: 3, max_len: 10, min_len: 5, repetition_penalty: 1, length_penalty: 0 })))!;
  assert.is(out.result?.name, "val_epoch0");
  const records = out.result!.records as { caption: string; image_id: number }[];
  assert.equal(records.map((r) => r.image_id), evalIds.map((i) => 100 + i));
  assert.equal(records.map((r) => r.caption), evalIds.map(captionOf));
  assert.ok(out.metrics["CIDEr"]! > 3 && Math.abs(out.metrics["agg_metrics"]! - out.metrics["CIDEr"]! - out.metrics["Bleu_4"]!) < 1e-12);
  assert.ok(logs.some((l) => l.includes("METEOR and SPICE are not computed")));
  const off = (await model.evaluate(ctx({ num_beams: 1, max_len: 10, min_len: 1, repetition_penalty: 1, length_penalty: 0, report_metric: false })))!;
  assert.equal(off.metrics, { agg_metrics: 0 });

  // A split image without a prediction, or without reference captions, is an error that counts them (issue 18).
  const gen = { num_beams: 1, max_len: 10, min_len: 1, repetition_penalty: 1, length_penalty: 0 };
  const missing = { ...ctx(gen), extras: async () => ({ records: [...evalIds, 8].map((i) => ({ sourceImageId: 100 + i })) }) };
  await model.evaluate(missing).then(() => assert.unreachable("scored a subset"), (e: Error) => assert.match(e.message, /^captioning of split "val" would score only part of the split: 1 of 9 images have no prediction \(108\)/));
  const base = ctx(gen);
  const noRefs: EvalContext = { ...base, batches: async () => (async function* () {
    for await (const b of await base.batches()) yield { ...b, references: b.references!.map((r, i) => (i === 1 ? [] : r)) };
  })() };
  await model.evaluate(noRefs).then(() => assert.unreachable("scored a subset"), (e: Error) => assert.match(e.message, /2 of 8 images have no references to score against \(1, 5\)/));

  // State dict round trip; PyTorch's tied `cls.predictions.decoder.weight` is accepted.
  const state = (await model.stateDict());
  assert.ok(state.has("text_decoder.bert.encoder.layer.0.crossattention.self.key.weight") && state.has("text_decoder.cls.predictions.bias"));
  const copy = new BlipCaption(config(), tokenizer, 99);
  const withTied = new Map(state);
  withTied.set("text_decoder.cls.predictions.decoder.weight", state.get("text_decoder.bert.embeddings.word_embeddings.weight")!);
  assert.is(copy.loadStateDict(withTied, true), null);
  const again = (await copy.evaluate(ctx({ num_beams: 3, max_len: 10, min_len: 5, repetition_penalty: 1, length_penalty: 0 })))!;
  assert.equal(again.result!.records, records);
  copy.dispose();
  model.dispose();
});

test.run();
