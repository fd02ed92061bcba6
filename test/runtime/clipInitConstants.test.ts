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
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";

const tokenizer = new WordPieceTokenizer(buildVocab(["a red square", "the blue circle is small", "what colour is it", "yes", "no"]));

/** The tiny CLIP's whole initial state with LAVIS's inits (init_std absent), seed 42, before the constants moved to the stdlib. */
const PINNED_LAVIS_INIT = "67a6c99602f37a91";
/** Its image and text features for fixed inputs (every LayerNorm at eps 1e-5), before the constants moved to the stdlib. */
const PINNED_FEATURES = "fe4fb12769e39b63";

async function checksum(model: Model): Promise<string> {
  const state = await model.stateDict();
  const hash = createHash("sha256");
  for (const name of [...state.keys()].sort()) {
    const t = state.get(name)!;
    hash.update(`${name}:${t.shape.join("x")};`);
    hash.update(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return hash.digest("hex").slice(0, 16);
}

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

test.run();
