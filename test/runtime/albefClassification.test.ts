import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { AlbefClassification } from "../../src/runtime/models/albefClassification.js";
import { readAlbefClassificationConfig, type AlbefClassificationConfig } from "../../src/runtime/models/albefClassificationConfig.js";
import { createModel } from "../../src/runtime/models/index.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { estimateParams } from "../../src/compiler/paramCount.js";
import { modelConfigOf, modelDiagnostics } from "../harness/modelConfig.js";
import { STEP as step, classImages, trainClassifier } from "./classifierHarness.js";

const RAW = {
  image_size: 16, patch_size: 8, vit_width: 32, vit_depth: 1, vit_heads: 2,
  text_width: 32, text_layers: 3, text_heads: 2, fusion_layer: 1, max_txt_len: 8, num_classes: 3, use_distill: false, init_std: 0.2,
};
const tokenizer = new WordPieceTokenizer(buildVocab(["a red thing", "a blue thing", "a green thing"]));

/** The model config as the compiler resolves it (stdlib defaults filled in). */
const full = (over: Record<string, unknown> = {}) => modelConfigOf({ arch: "albef_classification", model_type: "tiny", ...RAW, ...over });

function config(over: Record<string, unknown> = {}): AlbefClassificationConfig {
  const c = readAlbefClassificationConfig(full(over));
  if (Array.isArray(c)) throw new Error(c.join("; "));
  return c;
}

/** Logits of the model's online weights for images and empty texts. */
function logitsOf(m: AlbefClassification, image: tf.Tensor4D): Float32Array {
  const e = tokenizer.encode(image.shape[0] === 1 ? [""] : Array.from({ length: image.shape[0] }, () => ""), 2);
  return tf.tidy(() => {
    const ids = tf.tensor2d(e.ids, [image.shape[0], 2], "int32");
    const mask = tf.tensor2d(e.mask, [image.shape[0], 2]);
    return m.logits((n) => m.trainable.get(n)!, "", image, ids, mask, null).dataSync() as Float32Array;
  });
}

const t = suite("albef_classification");
t.before(async () => {
  assert.ok((await initBackend("wasm")).ok);
});

t("config: fusion_layer defaults to med_config_albef's 6 and must not exceed text_layers (stdlib checks); vocabulary 30522", () => {
  // ALBEF's own model type: the med config's sizes and fusion layer, AlbefClassification's max_txt_len 40.
  const ve = readAlbefClassificationConfig(modelConfigOf({ arch: "albef_classification", model_type: "ve" }));
  assert.not.ok(Array.isArray(ve));
  const c = ve as AlbefClassificationConfig;
  assert.is(c.fusionLayer, 6);
  assert.is(c.textLayers, 12);
  assert.is(c.vocabSize, 30522);
  assert.is(c.maxTxtLen, 40);
  assert.is(c.useDistill, true);
  assert.is(config({ fusion_layer: 0 }).fusionLayer, 0);
  assert.is(config({ fusion_layer: 3 }).fusionLayer, 3);
  const model = { arch: "albef_classification", model_type: "tiny", ...RAW };
  assert.equal(modelDiagnostics(model), []);
  assert.match(modelDiagnostics({ ...model, fusion_layer: 4 }).join("\n"), /LV4001 model.fusion_layer: `fusion_layer` must not exceed text_layers.*is 4/);
  assert.match(modelDiagnostics({ ...model, fusion_layer: -1 }).join("\n"), /model.fusion_layer/);
  assert.match(modelDiagnostics({ ...model, num_classes: 1 }).join("\n"), /model.num_classes/);
  // Without num_classes the check names the missing value.
  const { num_classes: _omitted, ...noClasses } = model;
  assert.match(modelDiagnostics(noClasses).join("\n"), /LV3003 model.num_classes/);
  // The runtime reads what the compiler filled in; a config that did not come from it is refused, not defaulted.
  const raw = readAlbefClassificationConfig({ ...RAW, fusion_layer: undefined });
  assert.ok(Array.isArray(raw) && raw.some((e) => e.includes("model.fusion_layer is not set")), JSON.stringify(raw));
});

t("LAVIS names and shapes: no crossattention below fusion_layer, cls_head on [CLS]; momentum copies only with use_distill", async () => {
  const spec = { arch: "albef_classification", modelType: "tiny", config: full(), loadWeights: null };
  const m = createModel(spec, tokenizer, 1) as AlbefClassification;
  assert.not.ok(Array.isArray(m));
  assert.is(m.arch, "albef_classification");
  const sd = (await m.stateDict());
  const names = [...sd.keys()];
  assert.not.ok(names.some((k) => k.startsWith("text_encoder.encoder.layer.0.crossattention")), "layer 0 is text-only");
  for (const i of [1, 2]) {
    assert.equal(sd.get(`text_encoder.encoder.layer.${i}.crossattention.self.key.weight`)!.shape, [32, 32]);
    assert.equal(sd.get(`text_encoder.encoder.layer.${i}.crossattention.output.LayerNorm.weight`)!.shape, [32]);
  }
  assert.ok(sd.has("text_encoder.encoder.layer.0.attention.self.query.weight"));
  assert.not.ok(names.some((k) => k.includes("pooler")));
  assert.equal(sd.get("text_encoder.embeddings.word_embeddings.weight")!.shape, [tokenizer.size, 32]);
  assert.equal(sd.get("cls_head.0.weight")!.shape, [32, 32]);
  assert.equal(sd.get("cls_head.0.bias")!.shape, [32]);
  assert.equal(sd.get("cls_head.2.weight")!.shape, [3, 32]);
  assert.equal(sd.get("cls_head.2.bias")!.shape, [3]);
  assert.ok(sd.has("visual_encoder.blocks.0.attn.qkv.weight"));
  assert.not.ok(names.some((k) => k.includes("_m.")));
  m.dispose();

  const distill = new AlbefClassification(config({ use_distill: true }), tokenizer, 1);
  const dnames = new Set((await distill.stateDict()).keys());
  for (const k of ["visual_encoder_m.cls_token", "text_encoder_m.encoder.layer.2.crossattention.self.value.weight", "cls_head_m.0.bias", "cls_head_m.2.weight"]) assert.ok(dnames.has(k), k);
  assert.not.ok(dnames.has("text_encoder_m.encoder.layer.0.crossattention.self.value.weight"));
  assert.is(dnames.size, 2 * names.length);
  distill.dispose();

  const bad = createModel({ ...spec, config: { ...full(), num_classes: undefined } }, tokenizer, 1);
  assert.ok(Array.isArray(bad) && bad.some((e) => e.includes("model.num_classes")));
});

t("parameter count equals the compiler's arithmetic (fusion layout, momentum copies)", async () => {
  for (const over of [{}, { fusion_layer: 0 }, { fusion_layer: 3, text_layers: 3 }, { use_distill: true }]) {
    const raw = { ...full(over), vocab_size: tokenizer.size };
    const m = new AlbefClassification(config(over), tokenizer, 1);
    const size = (vars: Iterable<{ size: number } | { shape: readonly number[] }>) => {
      let n = 0;
      for (const v of vars) n += "size" in v ? v.size : v.shape.reduce((a, b) => a * b, 1);
      return n;
    };
    const est = estimateParams("albef_classification", raw)!;
    assert.ok(est, "albef_classification is modelled");
    assert.is(size(m.trainable.values()), est.trainable, JSON.stringify(over));
    assert.is(size((await m.stateDict()).values()), est.total, JSON.stringify(over));
    m.dispose();
  }
  // ALBEF base (ViT-B/16 at 384, BERT-base with 6 fusion layers, 3 classes): cross-attention adds 6 × 2,363,904 to BERT-base.
  const base = estimateParams("albef_classification", modelConfigOf({ arch: "albef_classification", model_type: "ve" }))!;
  assert.is(base.parts["text_encoder"], 108_890_112 + 6 * 2_363_904);
});

t("fusion_layer: text-only layers do not see the image; with fusion_layer = text_layers the logits ignore the image", () => {
  const a = classImages([0, 1], 5);
  const b = classImages([2, 2], 6);
  const fused = new AlbefClassification(config(), tokenizer, 3);
  const [fa, fb] = [logitsOf(fused, a), logitsOf(fused, b)];
  assert.ok(fa.some((x, i) => Math.abs(x - fb[i]!) > 1e-4), "fusion layers read the image");
  const textOnly = new AlbefClassification(config({ fusion_layer: 3 }), tokenizer, 3);
  const [ta, tb] = [logitsOf(textOnly, a), logitsOf(textOnly, b)];
  ta.forEach((x, i) => assert.ok(Math.abs(x - tb[i]!) < 1e-6));
  tf.dispose([a, b]);
  fused.dispose();
  textOnly.dispose();
});

t("the loss falls and held-out accuracy rises on a tiny learnable set (plain cross-entropy)", async () => {
  const m = new AlbefClassification(config({ momentum: 0.9 }), tokenizer, 7);
  const { losses, acc } = await trainClassifier(m, 25);
  m.dispose();
  const head = (losses[0]! + losses[1]!) / 2;
  const tail = (losses[23]! + losses[24]!) / 2;
  assert.ok(tail < 0.5 * head, `loss did not fall: ${losses.map((x) => x.toFixed(3)).join(" ")}`);
  assert.ok(acc > 0.8, `held-out accuracy ${acc}`);
});

t("momentum distillation: alpha ramps from 0 (step 0 is plain cross-entropy), the momentum copies follow by EMA, the loss falls", async () => {
  const plain = new AlbefClassification(config({ use_distill: false }), tokenizer, 7);
  const distill = new AlbefClassification(config({ use_distill: true, momentum: 0.9 }), tokenizer, 7);
  const image = classImages([0, 1, 2], 4);
  const batch = { image, text: ["", "", ""], imageIds: [0, 1, 2], labels: [0, 1, 2] };
  const lossAt = (m: AlbefClassification, iters: number) => {
    const prep = m.prepareStep(batch, { ...step, iters });
    const v = tf.tidy(() => prep.loss().dataSync()[0]!);
    prep.dispose();
    return v;
  };
  const [p0, d0] = [lossAt(plain, 0), lossAt(distill, 0)];
  assert.ok(Math.abs(p0 - d0) < 1e-5, `${p0} vs ${d0}`);
  // Equal weights: the teacher's soft targets equal the prediction, so α·H(p) replaces α·CE.
  const d5 = lossAt(distill, 5);
  assert.ok(Math.abs(d5 - p0) > 1e-6);
  // The EMA: after moving an online weight, one step moves its copy by (1 - momentum) of the gap.
  const w = distill.trainable.get("cls_head.2.bias")!;
  const before = (await distill.stateDict()).get("cls_head_m.2.bias")!.data[0]!;
  w.assign(w.add(1));
  lossAt(distill, 1);
  const after = (await distill.stateDict()).get("cls_head_m.2.bias")!.data[0]!;
  const online = w.dataSync()[0]!;
  assert.ok(Math.abs(after - (0.9 * before + 0.1 * online)) < 1e-5, `${before} → ${after} (online ${online})`);
  image.dispose();
  plain.dispose();
  distill.dispose();

  const m = new AlbefClassification(config({ use_distill: true, momentum: 0.9 }), tokenizer, 7);
  const { losses } = await trainClassifier(m, 15);
  m.dispose();
  assert.ok(losses.every(Number.isFinite));
  assert.ok(losses[14]! < losses[0]!, losses.join(" "));
});

t("state dict round trip: strict load reproduces the logits; a LAVIS checkpoint without momentum copies restarts them as copies", async () => {
  const src = new AlbefClassification(config({ use_distill: true, momentum: 0.5 }), tokenizer, 21);
  await trainClassifier(src, 2);
  const sd = (await src.stateDict());
  const image = classImages([0, 1, 2], 9);
  const want = logitsOf(src, image);

  const dst = new AlbefClassification(config({ use_distill: true, momentum: 0.5 }), tokenizer, 99);
  assert.ok(logitsOf(dst, image).some((x, i) => Math.abs(x - want[i]!) > 1e-4), "different seeds differ before loading");
  assert.is(dst.loadStateDict(sd, true), null);
  logitsOf(dst, image).forEach((x, i) => assert.ok(Math.abs(x - want[i]!) < 1e-5));
  const again = (await dst.stateDict());
  for (const [k, v] of sd) assert.equal(Array.from(again.get(k)!.data), Array.from(v.data), k);

  // Strict: a missing tensor changes nothing; a BLIP-layout tensor (crossattention in layer 0) is unexpected.
  const partial = new Map([...sd].filter(([k]) => !k.startsWith("cls_head.")));
  const strictIssues = dst.loadStateDict(partial, true)!;
  assert.ok(strictIssues && !strictIssues.loaded && strictIssues.missing.includes("cls_head.0.weight"));
  const blipLayout = new Map(sd);
  blipLayout.set("text_encoder.encoder.layer.0.crossattention.self.key.weight", sd.get("text_encoder.encoder.layer.1.crossattention.self.key.weight")!);
  assert.equal(dst.loadStateDict(blipLayout, true)!.unexpected, ["text_encoder.encoder.layer.0.crossattention.self.key.weight"]);

  // Non-strict, without the _m tensors (LAVIS checkpoints): momentum copies equal the loaded online weights.
  const lavis = new Map([...sd].filter(([k]) => !/^(visual_encoder|text_encoder|cls_head)_m\./.test(k)));
  const fresh = new AlbefClassification(config({ use_distill: true }), tokenizer, 5);
  const issues = fresh.loadStateDict(lavis, false)!;
  assert.ok(issues.loaded && issues.missing.every((k) => k.includes("_m.")) && issues.missing.length === sd.size / 2);
  const loaded = (await fresh.stateDict());
  assert.equal(Array.from(loaded.get("cls_head_m.2.weight")!.data), Array.from(sd.get("cls_head.2.weight")!.data));
  assert.equal(Array.from(loaded.get("text_encoder_m.encoder.layer.1.crossattention.self.query.weight")!.data), Array.from(sd.get("text_encoder.encoder.layer.1.crossattention.self.query.weight")!.data));
  tf.dispose([image]);
  src.dispose();
  dst.dispose();
  fresh.dispose();
});

t.run();
