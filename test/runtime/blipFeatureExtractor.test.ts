import { modelConfigOf, modelDiagnostics } from "../harness/modelConfig.js";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { BlipRetrieval } from "../../src/runtime/models/blipRetrieval.js";
import { readBlipRetrievalConfig } from "../../src/runtime/models/blipRetrievalConfig.js";
import { BlipFeatureExtractor } from "../../src/runtime/models/blipFeatureExtractor.js";
import { readBlipFeatureExtractorConfig } from "../../src/runtime/models/blipFeatureExtractorConfig.js";
import { blipImageFeatures, blipMultimodal, clsOf } from "../../src/runtime/models/blipItc.js";
import { FEATURE_NAMES, type FeatureRow } from "../../src/runtime/models/blipFeatureExtraction.js";
import { createModel } from "../../src/runtime/models/index.js";
import type { EvalBatch, EvalContext, EvalOutcome } from "../../src/runtime/models/model.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { decodeSafetensors, encodeSafetensors } from "../../src/runtime/checkpoint/safetensors.js";
import { Rng } from "../../src/runtime/train/rng.js";

const RAW = { image_size: 16, patch_size: 8, vit_width: 32, vit_depth: 1, vit_heads: 2, text_width: 24, text_layers: 1, text_heads: 2, embed_dim: 12, init_std: 0.2 };
/** The model config as the compiler resolves it (stdlib defaults filled in). */
const SIZES = modelConfigOf({ arch: "blip_feature_extractor", model_type: "tiny", ...RAW });
const TEXTS = ["a red circle", "a red circle on the left", "a blue square", "two blue squares", "a green triangle", "a small green triangle"];
const tokenizer = new WordPieceTokenizer(buildVocab(TEXTS));
// A retrieval evaluation split: three images with two captions each (RetrievalEvalDataset's maps).
const RETRIEVAL = { texts: TEXTS, img2txt: [[0, 1], [2, 3], [4, 5]], txt2img: [0, 0, 1, 1, 2, 2] };

function pixels(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * 16 * 16 * 3 }, () => rng.normal());
}
const PIXELS = pixels(3, 7);
const imageTensor = (from: number, to: number) => tf.tensor4d(PIXELS.slice(from * 768, to * 768), [to - from, 16, 16, 3]);

/** The split's per-image records in two batches (as the eval loader gives them: no text, imageIds = image index). */
function evalContext(over: Partial<EvalContext> = {}, perRecordTexts = false): EvalContext {
  const batch = (from: number, to: number): EvalBatch => ({
    image: imageTensor(from, to),
    text: Array.from({ length: to - from }, (_, j) => (perRecordTexts ? TEXTS[2 * (from + j)]! : "")),
    imageIds: Array.from({ length: to - from }, (_, j) => from + j),
    sourceImageIds: Array.from({ length: to - from }, (_, j) => `img${from + j}`),
    instanceIds: Array.from({ length: to - from }, (_, j) => String(from + j)),
  });
  return {
    task: "feature_extraction", split: "test", epoch: "best", batchSize: 2, taskParams: {},
    batches: async () => (async function* () { yield batch(0, 2); yield batch(2, 3); })(),
    extras: async () => (perRecordTexts ? {} : { retrieval: RETRIEVAL }),
    ...over,
  };
}

function retrievalModel(seed: number): BlipRetrieval {
  const c = readBlipRetrievalConfig(modelConfigOf({ arch: "blip_retrieval", model_type: "tiny", ...RAW, queue_size: 8, max_txt_len: 12 }));
  if (Array.isArray(c)) throw new Error(c.join("; "));
  return new BlipRetrieval(c, tokenizer, seed);
}

function extractor(seed = 3): BlipFeatureExtractor {
  const c = readBlipFeatureExtractorConfig(SIZES);
  if (Array.isArray(c)) throw new Error(c.join("; "));
  return new BlipFeatureExtractor(c, tokenizer, seed);
}

const rowsOf = (o: EvalOutcome, name: string): number[][] => {
  const t = o.tensors!.tensors.get(name)!;
  const [n, d] = t.shape as [number, number];
  return Array.from({ length: n }, (_, r) => Array.from(t.data.subarray(r * d, (r + 1) * d)));
};

function assertClose(got: number[][], want: number[][], tol: number, what: string): void {
  assert.is(got.length, want.length, what);
  got.forEach((row, r) => row.forEach((v, k) => assert.ok(Math.abs(v - want[r]![k]!) < tol, `${what}[${r}][${k}]: ${v} vs ${want[r]![k]}`)));
}

const t = suite("blip_feature_extractor (task feature_extraction)");
t.before(async () => {
  assert.ok((await initBackend("wasm")).ok);
});

t("config: BlipFeatureExtractor's defaults (embed_dim 256, max_txt_len 30); the registry builds the arch with LAVIS's tensor names", async () => {
  const c = readBlipFeatureExtractorConfig(modelConfigOf({ arch: "blip_feature_extractor", model_type: "base" }));
  assert.not.ok(Array.isArray(c));
  if (Array.isArray(c)) return;
  assert.is(c.embedDim, 256);
  assert.is(c.maxTxtLen, 30);
  assert.match(modelDiagnostics({ arch: "blip_feature_extractor", model_type: "tiny", ...RAW, vit_heads: 5 }).join("\n"), /LV4001 model.vit_width/);
  const m = createModel({ arch: "blip_feature_extractor", modelType: "tiny", config: SIZES, loadWeights: null }, tokenizer, 1);
  assert.not.ok(Array.isArray(m));
  const names = [...(await (m as BlipFeatureExtractor).stateDict()).keys()];
  for (const n of ["temp", "vision_proj.weight", "text_proj.bias", "visual_encoder.cls_token", "text_encoder.embeddings.word_embeddings.weight"]) assert.ok(names.includes(n), n);
  assert.ok(names.some((n) => n.includes("crossattention")), "the text encoder cross-attends the image (multimodal mode)");
  assert.not.ok(names.some((n) => n.endsWith("_m") || n.includes("_m.") || n.includes("queue") || n.startsWith("itm_head")));
  (m as BlipFeatureExtractor).dispose();
});

t("a blip_retrieval state dict loads non-strictly (as LAVIS loads BLIP's checkpoint): momentum copies, queues and itm_head are skipped", async () => {
  const r = retrievalModel(11);
  const x = extractor();
  const issues = x.loadStateDict((await r.stateDict()), false);
  assert.ok(issues && issues.loaded);
  assert.equal(issues!.missing, []);
  // Whole modules the extractor does not have are skipped with a note (LAVIS's strict=False load), not "unexpected".
  assert.equal(issues!.unexpected, []);
  const note = issues!.notes!.join("\n");
  for (const m of ["itm_head", "image_queue", "visual_encoder_m", "text_encoder_m"]) assert.match(note, m);
  assert.ok(x.loadStateDict((await r.stateDict()), true) !== null, "strict loading refuses the extra tensors");
  r.dispose();
  x.dispose();
});

t("features equal blip_retrieval's ITC features for the same weights; rows follow the split's texts", async () => {
  const r = retrievalModel(11);
  const x = extractor();
  x.loadStateDict((await r.stateDict()), false);
  const out = (await x.evaluate(evalContext()))!;

  // The rows: one per caption, in text order, with the image's ids.
  const rows = out.result!.records as FeatureRow[];
  assert.equal(rows.map((w) => w.txt_id), [0, 1, 2, 3, 4, 5]);
  assert.equal(rows.map((w) => w.image_id), ["img0", "img0", "img1", "img1", "img2", "img2"]);
  assert.equal(rows.map((w) => w.caption), TEXTS);
  assert.is(out.result!.name, "test_features");

  // Shapes: [rows, dim] with the [CLS] position of every sequence.
  const shapes = Object.fromEntries([...out.tensors!.tensors].map(([k, v]) => [k, v.shape]));
  assert.equal(shapes, { image_embeds: [6, 32], image_embeds_proj: [6, 12], text_embeds: [6, 24], text_embeds_proj: [6, 12], multimodal_embeds: [6, 24] });

  // blip_retrieval's own ITC features (its private encoders, padded to max_txt_len rather than to the longest text).
  const p = r["main"].lookup();
  const imageFeat = tf.tidy(() => r["imageFeatures"](p, "", imageTensor(0, 3), null).feat.arraySync() as number[][]);
  const enc = tokenizer.encode(TEXTS, 12);
  const textFeat = tf.tidy(() => r["textFeatures"](p, "", tf.tensor2d(enc.ids, [6, 12], "int32"), tf.tensor2d(enc.mask, [6, 12]), null).arraySync() as number[][]);
  assertClose(rowsOf(out, "image_embeds_proj"), [0, 0, 1, 1, 2, 2].map((i) => imageFeat[i]!), 1e-5, "image_embeds_proj");
  assertClose(rowsOf(out, "text_embeds_proj"), textFeat, 1e-4, "text_embeds_proj");
  // Multimodal: [ENC] first, cross-attending the row's own image (blip_retrieval's ITM encoder input).
  const encIds = Int32Array.from(enc.ids);
  for (let i = 0; i < 6; i++) encIds[i * 12] = tokenizer.encId;
  const multimodal = tf.tidy(() => {
    const tokens = tf.gather(blipImageFeatures(p, "", r.cfg.vit, imageTensor(0, 3)).embeds, tf.tensor1d([0, 0, 1, 1, 2, 2], "int32")) as tf.Tensor3D;
    return clsOf(blipMultimodal(p, r["bert"], tf.tensor2d(encIds, [6, 12], "int32"), tf.tensor2d(enc.mask, [6, 12]), tokens)).arraySync() as number[][];
  });
  assertClose(rowsOf(out, "multimodal_embeds"), multimodal, 1e-4, "multimodal_embeds");
  for (const row of rowsOf(out, "image_embeds_proj")) assert.ok(Math.abs(Math.hypot(...row) - 1) < 1e-5, "projections are l2-normalised");

  // The ITC features scored as zero-shot retrieval, as blip_retrieval's ITC similarity matrix would rank them.
  assert.ok(["txt_r1", "txt_r5", "txt_r10", "img_r1", "img_r5", "img_r10", "r_mean"].every((k) => typeof out.metrics[k] === "number"));
  assert.is(out.metrics["agg_metrics"], out.metrics["txt_r_mean"]);

  // blip_retrieval serves the task with the same code: identical features.
  const viaRetrieval = (await r.evaluate(evalContext()))!;
  for (const k of FEATURE_NAMES) assert.equal(Array.from(viaRetrieval.tensors!.tensors.get(k)!.data), Array.from(out.tensors!.tensors.get(k)!.data), k);
  assert.equal(viaRetrieval.metrics, out.metrics);
  r.dispose();
  x.dispose();
});

t("the safetensors output round-trips with its names, shapes and row count", async () => {
  const x = extractor();
  const out = (await x.evaluate(evalContext()))!;
  const back = decodeSafetensors(encodeSafetensors(out.tensors!.tensors, out.tensors!.metadata));
  assert.ok(back.ok);
  if (!back.ok) return;
  assert.equal([...back.tensors.keys()].sort(), [...FEATURE_NAMES].sort());
  for (const k of FEATURE_NAMES) assert.is(back.tensors.get(k)!.shape[0], 6, k);
  assert.is(back.metadata["rows"], "6");
  assert.is(back.metadata["row_order"], "result/test_features.json");
  x.dispose();
});

t("a split that is not a retrieval split: one row per record, agg_metrics 0", async () => {
  const x = extractor();
  const logged: string[] = [];
  const out = (await x.evaluate(evalContext({ log: (m) => logged.push(m) }, true)))!;
  const rows = out.result!.records as FeatureRow[];
  assert.equal(rows.map((w) => w.caption), [TEXTS[0], TEXTS[2], TEXTS[4]]);
  assert.equal(rows.map((w) => w.instance_id), ["0", "1", "2"]);
  assert.is(rows[0]!.txt_id, undefined);
  assert.equal(out.metrics, { agg_metrics: 0 });
  assert.is(out.tensors!.tensors.get("multimodal_embeds")!.shape[0], 3);
  assert.ok(logged.some((m) => m.includes("3 rows")), logged.join("\n"));
  x.dispose();
});

t("no training: another task or a training step is a clear error", async () => {
  const x = extractor();
  const err = await x.evaluate(evalContext({ task: "captioning" })).then(() => null, (e: Error) => e);
  assert.ok(err && err.name === "DataError" && /no evaluation for task captioning/.test(err.message), String(err));
  assert.throws(() => x.prepareStep(), /inference only/);
  x.dispose();
});

t.run();
