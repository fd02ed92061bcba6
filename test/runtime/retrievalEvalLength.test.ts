// Retrieval evaluation reads its texts at the arch's `retrieval_eval_txt_len` (stdlib/evaluation.lv: LAVIS's
// compute_sim_matrix pads and truncates to 35, whatever max_txt_len), so max_txt_len changes training only: the same
// weights evaluate the same with max_txt_len 4 and 35.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createModel, type Model } from "../../src/runtime/models/index.js";
import { readBlipRetrievalConfig } from "../../src/runtime/models/blipRetrievalConfig.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";
import type { ModelSpec } from "../../src/runtime/runSpec.js";
import type { RetrievalOutcome } from "../../src/runtime/metrics/retrievalMetrics.js";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { modelConfigOf, retrievalScoreFillOf } from "../harness/modelConfig.js";
import { compile } from "../compiler/harness.js";
import { syntheticFactory } from "./synthetic.js";

await initBackend("wasm");

const IMAGES = 6;
const data = syntheticFactory({ images: IMAGES, size: 16, seed: 3 });
// Captions longer than 4 tokens, so a 4-token truncation would change what evaluation reads.
const longTexts = ["a red square", "the square is red", "a green circle", "the circle is green"];

function tinyConfig(maxTxtLen: number): Record<string, unknown> {
  return modelConfigOf({
    arch: "blip_retrieval", model_type: "tiny",
    vit_width: 32, vit_depth: 1, vit_heads: 2, patch_size: 8, image_size: 16,
    text_width: 32, text_layers: 1, text_heads: 2, embed_dim: 16, queue_size: 32, max_txt_len: maxTxtLen,
  });
}

/** The tokenizer's encode calls, by the length they pad to. */
class RecordingTokenizer extends WordPieceTokenizer {
  readonly lengths: number[] = [];
  override encode(texts: readonly string[], maxLen: number) {
    this.lengths.push(maxLen);
    return super.encode(texts, maxLen);
  }
}

function build(maxTxtLen: number, tokenizer: WordPieceTokenizer, evalLen?: number): Model {
  const spec: ModelSpec = { arch: "blip_retrieval", modelType: "tiny", config: tinyConfig(maxTxtLen), loadWeights: null, ...retrievalScoreFillOf("blip_retrieval"), ...(evalLen ? { retrievalEvalTxtLen: evalLen } : {}) };
  const m = createModel(spec, tokenizer, 11);
  if (Array.isArray(m)) throw new Error(m.join("; "));
  return m;
}

async function evaluate(model: Model): Promise<RetrievalOutcome> {
  const split = await data.retrievalEval(null as never, "test", { batchSize: 4 });
  const out = await model.evaluateRetrieval!(split, { k_test: 3 });
  if (!out) throw new Error("no outcome");
  return out;
}

test("the compiler gives blip_retrieval LAVIS's compute_sim_matrix length, 35, whatever max_txt_len; CLIP none", () => {
  const retrieval = (arch: string, extra = "") => compile(`experiment r {
  task retrieval
  model ${arch}(tiny) {
    max_txt_len = 4${extra}
  }
  data shapes_retrieval
  recipe {
    k_test = 4
    init_lr = 1e-3
    max_epoch = 1
    batch_size_train = 8
    batch_size_eval = 8
    output_dir = "out"
  }
}`).graph.run.model;
  assert.is(retrieval("blip_retrieval").retrievalEvalTxtLen, 35);
  // open_clip tokenizes at its context length in training and evaluation alike (LAVIS's CLIP.compute_sim_matrix).
  assert.is(retrieval("clip").retrievalEvalTxtLen, undefined);
});

test("evaluation encodes texts at the RunSpec's length, training at max_txt_len", async () => {
  const tok = new RecordingTokenizer(buildVocab([...longTexts, "a blue stripe", "the dot is yellow", "a", "the", "is"]));
  const model = build(4, tok, 35);
  await evaluate(model);
  assert.equal([...new Set(tok.lengths)], [35]);
});

test("the same weights evaluate the same with max_txt_len 4 and 35 (LAVIS evaluates both at 35)", async () => {
  const vocab = buildVocab(["a red square", "the square is red", "a green circle", "the circle is green", "a blue stripe", "the stripe is blue", "a yellow dot", "the dot is yellow"]);
  const short = await evaluate(build(4, new WordPieceTokenizer(vocab), 35));
  const long = await evaluate(build(35, new WordPieceTokenizer(vocab), 35));
  assert.equal(short, long);
});

test("without a RunSpec length (an arch the stdlib says nothing of) evaluation reads max_txt_len", () => {
  const c = readBlipRetrievalConfig(tinyConfig(8));
  assert.ok(!Array.isArray(c));
  assert.is(c.evalTxtLen, 8);
});

test("an evaluation length beyond the text encoder's positions is refused before the run, with what to set", () => {
  const errors = readBlipRetrievalConfig({ ...tinyConfig(8), text_positions: 16 }, { retrievalEvalTxtLen: 35 });
  assert.ok(Array.isArray(errors));
  assert.match(errors.join(" "), /35 tokens.*16 positions.*text_positions to at least 35/);
});

test.run();
