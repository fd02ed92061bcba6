// LAVIS's fill values are facts the stdlib declares: med.py's extended attention mask (`(1.0 - mask) * -10000.0`),
// BlipRetrieval's idx_queue (`torch.full((1, queue_size), -100)`) and compute_sim_matrix's score matrices
// (`torch.full(..., -100.0)`). What the text encoder, the decoder (full and incremental) and retrieval evaluation
// compute with the stdlib's values is pinned from the runtime that had them written in TypeScript, on the ops path
// (cpu) and on wasm's fused attention kernel; the training losses are pinned in blipLossConstants.test.ts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { bertForward, declareBert } from "../../src/runtime/nn/bertEncoder.js";
import { decoderCrossCache, decoderHidden, decoderStep, declareDecoder } from "../../src/runtime/nn/decoder.js";
import { ParamStore } from "../../src/runtime/nn/paramStore.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import { Rng } from "../../src/runtime/train/rng.js";
import { bertConfigOf, readBlipSizes } from "../../src/runtime/models/sizing.js";
import { createModel } from "../../src/runtime/models/index.js";
import type { ModelSpec } from "../../src/runtime/runSpec.js";
import { modelConfigOf, retrievalScoreFillOf } from "../harness/modelConfig.js";
import { syntheticFactory } from "./synthetic.js";
import { tinyConfig, tinyModel } from "./tinySteps.js";

/** Digests of the outputs' bits, before the fill values moved to the stdlib. */
const PINNED: Record<string, string> = {
  "cpu encoder": "84379159a0c2e63c",
  "cpu decoder": "066674b8b19f7e65",
  "cpu decoder step": "5fb4b4400d23cf4a",
  "wasm encoder": "84379159a0c2e63c",
  "wasm decoder": "066674b8b19f7e65",
  "wasm decoder step": "5fb4b4400d23cf4a",
  "cpu retrieval ranks": "030d1b4278d8c960",
};

const digest = (parts: readonly (ArrayLike<number> | object)[]): string => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p instanceof Float32Array ? new Uint8Array(p.buffer.slice(0)) : JSON.stringify(p));
  return h.digest("hex").slice(0, 16);
};

/** The BERT config of a BLIP text side (2 layers, width 16) as the stdlib fills it in, with `extra` keys over it. */
function bertOf(extra: Record<string, unknown> = {}) {
  const raw = modelConfigOf({ arch: "blip_caption", model_type: "tiny", text_width: 16, text_layers: 2, text_heads: 2, text_intermediate: 32, ...extra });
  const errors: string[] = [];
  const sizes = readBlipSizes(raw, errors);
  if (errors.length) throw new Error(errors.join("; "));
  return bertConfigOf(sizes, 20, 8);
}

const IDS = [[1, 5, 7, 9, 3], [1, 4, 4, 2, 8]];
const MASK = [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]];

/** Encoder, decoder (padded text and padded states) and incremental-decoder outputs, as digests. */
function nnDigests(extra: Record<string, unknown> = {}): Record<"encoder" | "decoder" | "decoder step", string> {
  const c = bertOf(extra);
  const store = new ParamStore(new Rng(3), true, 0.2);
  declareBert(store, "e.", c);
  declareDecoder(store, "d.", c);
  const p = store.lookup();
  try {
    return tf.tidy(() => {
      const ids = tf.tensor2d(IDS, undefined, "int32");
      const mask = tf.tensor2d(MASK);
      const states = tf.randomNormal([2, 3, 8], 0, 1, "float32", 5) as tf.Tensor3D;
      const statesMask = tf.tensor2d([[1, 1, 0], [1, 0, 0]]);
      const encoder = bertForward(p, "e.", c, ids, mask, states).dataSync() as Float32Array;
      const decoder = decoderHidden(p, "d.", c, ids, mask, states, statesMask).dataSync() as Float32Array;
      // Two new tokens over two cached ones: the step's own causal mask.
      const cross = decoderCrossCache(p, "d.", c, states);
      const first = decoderStep(p, "d.", c, tf.tensor2d(IDS.map((r) => r.slice(0, 2)), undefined, "int32"), { self: [], cross });
      const next = decoderStep(p, "d.", c, tf.tensor2d(IDS.map((r) => r.slice(2, 4)), undefined, "int32"), { self: first.self, cross });
      return {
        encoder: digest([encoder]),
        decoder: digest([decoder]),
        "decoder step": digest([first.hidden.dataSync() as Float32Array, next.hidden.dataSync() as Float32Array]),
      };
    });
  } finally {
    store.dispose();
  }
}

const RETRIEVAL_TEXTS = ["a red square", "the square is red", "a green circle", "the circle is green", "a blue stripe", "the dot is yellow"];

/** The ranks of a tiny blip_retrieval's evaluation (k_test 2 of 6: most scores keep compute_sim_matrix's fill). */
async function retrievalRanks(spec: Partial<ModelSpec> = {}): Promise<string> {
  const config = modelConfigOf({
    arch: "blip_retrieval", model_type: "tiny", vit_width: 32, vit_depth: 1, vit_heads: 2, patch_size: 8, image_size: 16,
    text_width: 32, text_layers: 1, text_heads: 2, embed_dim: 16, queue_size: 32, max_txt_len: 8,
  });
  spec = { ...retrievalScoreFillOf("blip_retrieval"), ...spec };
  const tokenizer = new WordPieceTokenizer(buildVocab(RETRIEVAL_TEXTS));
  const model = createModel({ arch: "blip_retrieval", modelType: "tiny", config, loadWeights: null, ...spec }, tokenizer, 11);
  if (Array.isArray(model)) throw new Error(model.join("; "));
  try {
    const data = syntheticFactory({ images: 6, size: 16, seed: 3 });
    const split = await data.retrievalEval(null as never, "test", { batchSize: 4 });
    const out = await model.evaluateRetrieval!(split, { k_test: 2 });
    if (!out) throw new Error("no outcome");
    return digest([out.ranks, out.metrics]);
  } finally {
    model.dispose();
  }
}

for (const backend of ["cpu", "wasm"] as const) {
  test(`${backend}: the text encoder, decoder and incremental decoder compute what they did with the fill in TypeScript`, async () => {
    await initBackend(backend);
    const got = nnDigests();
    for (const [name, value] of Object.entries(got)) assert.is(value, PINNED[`${backend} ${name}`], `${backend} ${name}`);
  });
}

test("cpu: blip_retrieval(tiny)'s evaluation ranks are the ones it computed with the fills in TypeScript", async () => {
  await initBackend("cpu");
  assert.is(await retrievalRanks(), PINNED["cpu retrieval ranks"]);
});

// Each declared fill, changed from LAVIS's value, changes what is computed (so the pins above depend on it).
test("text_attention_mask_fill = -1 changes the encoder, the decoder and the incremental decoder", async () => {
  await initBackend("cpu");
  const got = nnDigests({ text_attention_mask_fill: -1 });
  for (const [name, value] of Object.entries(got)) assert.is.not(value, PINNED[`cpu ${name}`], name);
});

test("retrieval_score_fill = 100 changes the ranks: pairs ITM did not re-rank outrank those it did", async () => {
  await initBackend("cpu");
  assert.is.not(await retrievalRanks({ retrievalScoreFill: 100 }), PINNED["cpu retrieval ranks"]);
});

test("blip_retrieval(tiny): idx_queue starts filled with idx_queue_fill", async () => {
  await initBackend("cpu");
  for (const fill of [-100, -7]) {
    const model = tinyModel("blip_retrieval", tinyConfig("blip_retrieval", { idx_queue_fill: fill }));
    try {
      assert.equal([...(await model.stateDict()).get("idx_queue")!.data], new Array(16).fill(fill));
    } finally {
      model.dispose();
    }
  }
});

test("a RunSpec without retrieval_score_fill does not evaluate retrieval", async () => {
  await initBackend("cpu");
  try {
    await retrievalRanks({ retrievalScoreFill: undefined });
    assert.unreachable("evaluated");
  } catch (e) {
    assert.match(String(e), /retrievalScoreFill/);
  }
});

test.run();
