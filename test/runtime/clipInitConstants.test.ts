// CLIP's initialisation constants are LAVIS facts declared in stdlib/lavisc_clip.lv (lavis/models/clip_models/model.py
// @f6e1354: CLIP.init_parameters' stds, VisualTransformer's `width ** -0.5` scale, logit_scale's ln(1/0.07), the
// LayerNorm eps), read from the model config: the initial state with LAVIS's inits (init_std absent) is pinned from
// the runtime that had them written in TypeScript, and changing a declared value changes what the model draws.
import { test } from "uvu";
import * as tf from "@tensorflow/tfjs";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { modelConfigOf } from "../harness/modelConfig.js";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { createModel, type Model } from "../../src/runtime/models/index.js";
import { stateChecksum } from "./stateChecksum.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";

const tokenizer = new WordPieceTokenizer(buildVocab(["a red square", "the blue circle is small", "what colour is it", "yes", "no"]));

/** The tiny CLIP's whole initial state with LAVIS's inits (init_std absent), seed 42, before the constants moved to the stdlib. */
const PINNED_LAVIS_INIT = "67a6c99602f37a91";
/** Its image and text features for fixed inputs (every LayerNorm at eps 1e-5), before the constants moved to the stdlib. */
const PINNED_FEATURES = "fe4fb12769e39b63";

const checksum = stateChecksum;

function tinyClip(keys: Record<string, unknown> = {}): Model {
  const config = modelConfigOf({ arch: "clip", model_type: "tiny", init_std: null, ...keys });
  assert.is(config.init_std, null);
  const model = createModel({ arch: "clip", modelType: "tiny", config, loadWeights: null }, tokenizer, 42);
  if (Array.isArray(model)) throw new Error(model.join("; "));
  return model;
}

test.before(async () => {
  await initBackend("cpu");
});

test("clip(tiny), init_std absent: the initial state is the one LAVIS's inits gave before the constants moved to the stdlib", async () => {
  const model = tinyClip();
  try {
    const sum = await checksum(model);
    assert.is(sum, PINNED_LAVIS_INIT);
  } finally {
    model.dispose();
  }
});

/** The model's L2-normalised image and text features for a fixed image batch and captions. */
function features(model: Model): Float32Array {
  const p = model as unknown as { imageFeatures(i: tf.Tensor4D): tf.Tensor; textFeatures(t: readonly string[]): tf.Tensor };
  return tf.tidy(() => {
    const image = tf.randomNormal([2, 28, 28, 3], 0, 1, "float32", 7) as tf.Tensor4D;
    return Float32Array.from([...p.imageFeatures(image).dataSync(), ...p.textFeatures(["a red square", "the blue circle is small"]).dataSync()]);
  });
}

const digest = (values: Float32Array) => createHash("sha256").update(Buffer.from(values.buffer)).digest("hex").slice(0, 16);

test("clip(tiny): its features for fixed inputs are the ones it computed before the constants moved to the stdlib", () => {
  const model = tinyClip();
  try {
    const sum = digest(features(model));
    assert.is(sum, PINNED_FEATURES);
  } finally {
    model.dispose();
  }
});

/** Std of a tensor of the model's initial state. */
async function stdOf(model: Model, name: string): Promise<number> {
  const d = (await model.stateDict()).get(name)!.data;
  let sum = 0, sq = 0;
  for (const x of d) {
    sum += x;
    sq += x * x;
  }
  const mean = sum / d.length;
  return Math.sqrt(sq / d.length - mean * mean);
}

const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual / expected - 1) < 0.05, `${what}: ${actual}, expected ${expected}`);

// Each declared constant, changed from LAVIS's value: the initial state changes, and the tensors it sets (tiny: vit_width
// and text_width 64, text_layers 2) have the std the changed constant gives.
const CHANGED: [string, number, (m: Model) => Promise<void>][] = [
  ["token_embedding_std", 0.05, async (m) => near(await stdOf(m, "token_embedding.weight"), 0.05, "token_embedding.weight")],
  ["text_positional_embedding_std", 0.05, async (m) => near(await stdOf(m, "positional_embedding"), 0.05, "positional_embedding")],
  ["init_width_exponent", -1, async (m) => {
    near(await stdOf(m, "visual.positional_embedding"), 64 ** -1, "visual.positional_embedding");
    near(await stdOf(m, "text_projection"), 64 ** -1, "text_projection");
    near(await stdOf(m, "transformer.resblocks.0.attn.in_proj_weight"), 64 ** -1, "text attn.in_proj_weight");
  }],
  ["init_fc_width_factor", 8, async (m) => near(await stdOf(m, "transformer.resblocks.0.mlp.c_fc.weight"), (8 * 64) ** -0.5, "text mlp.c_fc.weight")],
  ["init_proj_depth_factor", 8, async (m) => near(await stdOf(m, "transformer.resblocks.1.mlp.c_proj.weight"), 64 ** -0.5 * (8 * 2) ** -0.5, "text mlp.c_proj.weight")],
  ["init_temperature", 0.1, async (m) => assert.is((await m.stateDict()).get("logit_scale")!.data[0], Math.fround(Math.log(10)))],
];

for (const [key, value, check] of CHANGED) {
  test(`clip(tiny): ${key} = ${value} changes the initial state as it says`, async () => {
    const model = tinyClip({ [key]: value });
    try {
      assert.is.not(await checksum(model), PINNED_LAVIS_INIT);
      await check(model);
    } finally {
      model.dispose();
    }
  });
}

test("clip(tiny): layer_norm_eps reaches every LayerNorm of both towers", () => {
  const lavis = tinyClip(), other = tinyClip({ layer_norm_eps: 10 });
  try {
    const [a, b] = [features(lavis), features(other)];
    const half = a.length / 2;
    const gap = (from: number, to: number) => Math.max(...Array.from({ length: to - from }, (_, i) => Math.abs(a[from + i]! - b[from + i]!)));
    assert.ok(gap(0, half) > 1e-3, "image features follow layer_norm_eps");
    assert.ok(gap(half, a.length) > 1e-3, "text features follow layer_norm_eps");
  } finally {
    lavis.dispose();
    other.dispose();
  }
});

test.run();
