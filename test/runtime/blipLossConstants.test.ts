// The BLIP family's loss constants are LAVIS facts the stdlib declares (the ITC temperature's init and clamp, the
// momentum-distillation alpha's ramp-up, the decoder's label smoothing): the training losses of each tiny arch with
// the stdlib's values are pinned from the runtime that had them written in TypeScript, so moving them changed nothing.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { modelConfigOf } from "../harness/modelConfig.js";
import { createModel } from "../../src/runtime/models/index.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { Rng } from "../../src/runtime/train/rng.js";
import { TINY_ARCHS, evalBatch, stepLosses, tinyConfig, tinyModel, type TinyArch } from "./tinySteps.js";

/** Digest of 3 training steps' loss components (step seed 5), before the constants moved to the stdlib. */
const PINNED_LOSSES: Record<string, string> = {
  blip_retrieval: "5fad331f0c1cf06e",
  blip_caption: "c421a60356344d71",
  blip_vqa: "66ce5d5f9643026a",
  blip_classification: "8665b3518eb4c8d1",
  albef_classification: "c9bbed282ee2d8aa",
};

const lossDigest = (losses: readonly Record<string, number>[]): string =>
  createHash("sha256").update(JSON.stringify(losses)).digest("hex").slice(0, 16);

test.before(async () => {
  await initBackend("cpu");
});

for (const arch of TINY_ARCHS) {
  test(`${arch}(tiny): its training losses are the ones it computed before the loss constants moved to the stdlib`, () => {
    const model = tinyModel(arch, tinyConfig(arch));
    try {
      const losses = stepLosses(model, 5);
      assert.is(lossDigest(losses), PINNED_LOSSES[arch]);
    } finally {
      model.dispose();
    }
  });
}

// Each declared constant, changed from LAVIS's value, changes the training losses.
const CHANGED: [TinyArch, string, number][] = [
  ["blip_retrieval", "init_temperature", 0.1],
  ["blip_retrieval", "temperature_max", 0.05],
  ["blip_retrieval", "alpha_rampup_epochs", 4],
  ["blip_classification", "alpha_rampup_epochs", 4],
  ["albef_classification", "alpha_rampup_epochs", 4],
  ["blip_caption", "label_smoothing", 0],
  ["blip_vqa", "label_smoothing", 0],
];

for (const [arch, key, value] of CHANGED) {
  test(`${arch}(tiny): ${key} = ${value} changes its training losses`, () => {
    const model = tinyModel(arch, tinyConfig(arch, { [key]: value }));
    try {
      assert.is.not(lossDigest(stepLosses(model, 5)), PINNED_LOSSES[arch]);
    } finally {
      model.dispose();
    }
  });
}

const temp = async (model: { stateDict(): Promise<ReadonlyMap<string, { data: Float32Array | Int32Array }>> }) => (await model.stateDict()).get("temp")!.data[0];

test("blip_retrieval(tiny): temp starts at init_temperature and each step clamps it to [temperature_min, temperature_max]", async () => {
  const model = tinyModel("blip_retrieval", tinyConfig("blip_retrieval", { init_temperature: 0.2, temperature_min: 0.15, temperature_max: 0.3 }));
  try {
    assert.is(await temp(model), Math.fround(0.2));
    for (const [set, clamped] of [[0.01, 0.15], [0.9, 0.3]] as const) {
      model.loadStateDict(new Map([["temp", { dtype: "F32", shape: [], data: Float32Array.of(set) }]]), false);
      // The clamp runs when the step is prepared, before its loss (BlipRetrieval.forward's first lines).
      const batch = evalBatch();
      model.prepareStep(batch, { epoch: 0, iters: 0, itersPerEpoch: 10, rng: new Rng(1) }).dispose();
      batch.image.dispose();
      assert.is(await temp(model), Math.fround(clamped));
    }
  } finally {
    model.dispose();
  }
});

test("blip_feature_extractor(tiny): temp is init_temperature", async () => {
  const tokenizer = new WordPieceTokenizer(buildVocab(["a red square"]));
  for (const value of [0.07, 0.1]) {
    const config = modelConfigOf({ arch: "blip_feature_extractor", model_type: "tiny", init_temperature: value });
    const model = createModel({ arch: "blip_feature_extractor", modelType: "tiny", config, loadWeights: null }, tokenizer, 42);
    if (Array.isArray(model)) throw new Error(model.join("; "));
    try {
      assert.is(await temp(model), Math.fround(value));
    } finally {
      model.dispose();
    }
  }
});

test.run();
