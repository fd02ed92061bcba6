// LAVIS's real model types build at LAVIS's real sizes in TensorFlow.js: blip_caption(base_coco) and
// blip_retrieval(coco), from the projects that use them, with the parameter counts the compiler's arithmetic gives
// (and that `lavisc plan` prints), LAVIS's tensor names and shapes. Weights start at zero (withoutRandomInit): drawing
// 450M random values would only slow the test.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { checkFile } from "../../src/index.js";
import { nodeHost } from "../../src/cli/host.js";
import { lowerToGraph, runSpecOf } from "../../src/compiler/lower.js";
import { estimateParams } from "../../src/compiler/paramCount.js";
import { createModel, type Model } from "../../src/runtime/models/index.js";
import { withoutRandomInit } from "../../src/runtime/nn/paramStore.js";
import { WordPieceTokenizer } from "../../src/runtime/nn/tokenizer.js";
import type { ModelSpec } from "../../src/runtime/runSpec.js";
import { fromRoot } from "../harness/repoRoot.js";
import { modelConfigOf } from "../harness/modelConfig.js";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** bert-base-uncased's 30522 entries plus BLIP's [DEC] and [ENC]: the 30524 rows of BLIP's word embeddings. */
function blipVocab(): WordPieceTokenizer {
  const vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  while (vocab.length < 30522) vocab.push(`w${vocab.length}`);
  vocab.push("[DEC]", "[ENC]");
  return new WordPieceTokenizer(vocab);
}

function modelSpecOf(project: string, replace?: [string, string]): ModelSpec {
  let path = fromRoot(project);
  if (replace) {
    // The same experiment with another model type, written beside a temp copy.
    const dir = mkdtempSync(join(tmpdir(), "lavisc-sizes-"));
    path = join(dir, "experiment.lv");
    writeFileSync(path, readFileSync(fromRoot(project), "utf8").replace(replace[0], replace[1]));
  }
  const r = checkFile(path, nodeHost());
  assert.ok(r.resolved, project);
  return runSpecOf(lowerToGraph(r.resolved!).graph).model;
}

function build(spec: ModelSpec): Model {
  const m = withoutRandomInit(() => createModel(spec, blipVocab(), 1));
  if (Array.isArray(m)) throw new Error(m.join("; "));
  return m;
}

function count(vars: Iterable<{ size: number }>): number {
  let n = 0;
  for (const v of vars) n += v.size;
  return n;
}

function shapeOf(state: Map<string, { shape: readonly number[] }>, name: string): number[] {
  const t = state.get(name);
  assert.ok(t, `no tensor ${name}`);
  return [...t!.shape];
}

test("blip_caption(base_coco) builds at BLIP-base size: 223,971,644 parameters, as the compiler's arithmetic", async () => {
  await tf.setBackend("cpu");
  const spec = modelSpecOf("projects/blip/caption_coco_ft.lv");
  assert.is(spec.arch, "blip_caption");
  assert.is(spec.config["med_config_path"], "configs/models/med_config.json");
  const model = build(spec);
  try {
    const est = estimateParams(spec.arch, spec.config)!;
    assert.is(count(model.trainable.values()), est.trainable);
    assert.is(est.trainable, 223_971_644);
    // ViT-B/16 at 384 px (timm vit_base_patch16_384 without its classifier head) and BERT-base with cross-attention.
    assert.is(est.parts["visual_encoder"], 86_090_496);
    const state = (await model.stateDict());
    assert.equal(shapeOf(state, "visual_encoder.pos_embed"), [1, 577, 768]);
    assert.equal(shapeOf(state, "visual_encoder.blocks.11.attn.qkv.weight"), [2304, 768]);
    assert.equal(shapeOf(state, "text_decoder.bert.embeddings.word_embeddings.weight"), [30524, 768]);
    assert.equal(shapeOf(state, "text_decoder.bert.encoder.layer.11.crossattention.self.key.weight"), [768, 768]);
    assert.equal(shapeOf(state, "text_decoder.cls.predictions.bias"), [30524]);
  } finally {
    model.dispose();
  }
});

test("blip_retrieval(coco) builds at BLIP-base size with momentum encoders and 57,600-long queues", async () => {
  await tf.setBackend("cpu");
  const spec = modelSpecOf("projects/blip/retrieval_coco_ft.lv");
  assert.is(spec.arch, "blip_retrieval");
  const model = build(spec);
  try {
    const est = estimateParams(spec.arch, spec.config)!;
    assert.is(count(model.trainable.values()), est.trainable);
    assert.is(est.trainable, 223_744_259);
    const state = (await model.stateDict());
    // Everything LAVIS saves: the online and momentum weights, plus the queues (2 × 256 × 57600, idx_queue, ptr_queue).
    const queues = 2 * 256 * 57_600 + 57_600 + 1;
    assert.is(count([...state.values()].map((t) => ({ size: t.data.length }))), est.total + queues);
    assert.equal(shapeOf(state, "visual_encoder_m.pos_embed"), [1, 577, 768]);
    assert.equal(shapeOf(state, "text_encoder.embeddings.word_embeddings.weight"), [30524, 768]);
    assert.equal(shapeOf(state, "text_encoder_m.encoder.layer.0.crossattention.self.value.weight"), [768, 768]);
    assert.equal(shapeOf(state, "image_queue"), [256, 57_600]);
    assert.equal(shapeOf(state, "itm_head.weight"), [2, 768]);
  } finally {
    model.dispose();
  }
});

test("blip_caption(large_coco) builds ViT-L/16 (1024 wide, 24 blocks) with BERT-base cross-attending it", async () => {
  await tf.setBackend("cpu");
  const spec = modelSpecOf("projects/blip/caption_coco_ft.lv", ["blip_caption(base_coco)", "blip_caption(large_coco)"]);
  assert.is(spec.config["vit_type"], "large");
  const model = build(spec);
  try {
    const est = estimateParams(spec.arch, spec.config)!;
    assert.is(count(model.trainable.values()), est.trainable);
    // timm's vit_large_patch16_384 has 304,715,752 parameters with its 1000-class head (1024·1000 + 1000); BLIP keeps none.
    assert.is(est.parts["visual_encoder"], 304_715_752 - 1_025_000);
    const state = (await model.stateDict());
    assert.equal(shapeOf(state, "visual_encoder.blocks.23.mlp.fc1.weight"), [4096, 1024]);
    assert.equal(shapeOf(state, "text_decoder.bert.encoder.layer.0.crossattention.self.key.weight"), [768, 1024]);
  } finally {
    model.dispose();
  }
});

test("the med config LAVIS names sizes the text side (stdlib/encoders.lv); explicit lavisc size keys win", () => {
  const albef = modelConfigOf({ arch: "albef_classification", model_type: "ve" });
  assert.is(albef["vocab_size"], 30522);
  assert.is(albef["fusion_layer"], 6);
  assert.equal(albef["added_tokens"], []);
  const blip = modelConfigOf({ arch: "blip_caption", model_type: "base_coco" });
  assert.is(blip["vocab_size"], 30524);
  assert.equal(blip["added_tokens"], ["[DEC]", "[ENC]"]);
  // Explicit lavisc size keys still win over the med config (the CPU-sized types rely on it).
  const small = estimateParams("blip_caption", modelConfigOf({ arch: "blip_caption", model_type: "base_coco", text_width: 64, text_layers: 2, text_heads: 2, vocab_size: 100 }))!;
  assert.is(small.sizes.intermediate, 256);
  assert.is(small.sizes.textWidth, 64);
});

test("a med config JSON of the user's is read relative to the experiment; an unknown path is LV4020 at the key", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-med-"));
  writeFileSync(join(dir, "bert_small.json"), JSON.stringify({ hidden_size: 128, num_hidden_layers: 2, num_attention_heads: 4, hidden_dropout_prob: 0.05 }));
  const lv = (med: string) => `experiment e {
  task retrieval
  model blip_retrieval(coco) {
    med_config_path = "${med}"
  }
  data coco_retrieval
  recipe {
    init_lr = 1e-5
    min_lr = 0
    max_epoch = 1
    batch_size_train = 2
    batch_size_eval = 2
    output_dir = "out"
  }
}
`;
  writeFileSync(join(dir, "ok.lv"), lv("bert_small.json"));
  const ok = checkFile(join(dir, "ok.lv"), nodeHost());
  assert.equal(ok.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), []);
  const model = runSpecOf(ok.graph!).model.config;
  assert.is(model["text_width"], 128);
  assert.is(model["text_layers"], 2);
  // Keys the file leaves out take BertConfig's defaults (stdlib MedConfig).
  assert.is(model["text_intermediate"], 3072);
  assert.is(model["vocab_size"], 30522);
  // The dropout probabilities are numbers (BertConfig's default 0.1 where the file has none).
  assert.is(model["text_hidden_dropout"], 0.05);
  assert.is(model["text_attention_dropout"], 0.1);
  writeFileSync(join(dir, "frac.json"), JSON.stringify({ hidden_size: 128.5 }));
  writeFileSync(join(dir, "frac.lv"), lv("frac.json"));
  const frac = checkFile(join(dir, "frac.lv"), nodeHost()).diagnostics.find((x) => x.code === "LV4020");
  assert.match(frac?.message ?? "", /"hidden_size" in .*frac\.json must be int\(> 0\), got 128\.5/);
  writeFileSync(join(dir, "bad.lv"), lv("configs/models/no_such.json"));
  const bad = checkFile(join(dir, "bad.lv"), nodeHost());
  const d = bad.diagnostics.find((x) => x.code === "LV4020");
  assert.ok(d, JSON.stringify(bad.diagnostics.map((x) => x.code)));
  assert.is(d!.path, "model.med_config_path");
  assert.match(d!.hint ?? "", /configs\/models\/med_config\.json/);
});

test.run();
