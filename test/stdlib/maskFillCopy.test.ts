// med.py's attention-mask fill and the retrieval fills are read from the stdlib, not written in TypeScript: a copy of
// stdlib/ (named by $LAVISC_STDLIB) that declares other values makes `explain` show the model keys, the compiled
// RunSpec carry the evaluation's score fill, and the tiny models compute with them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { explainWithCopy, useStdlibCopy } from "../harness/stdlibCopy.js";

// Before lavisc loads its stdlib.
const { remove } = useStdlibCopy("lavisc-mask-fill-copy-", [
  ["encoders.lv", "text_attention_mask_fill: float(< 0) = -10000", "text_attention_mask_fill: float(< 0) = -2"],
  ["lavisc.lv", "idx_queue_fill: int(< 0) = -100", "idx_queue_fill: int(< 0) = -3"],
  ["evaluation.lv", "retrieval_score_fill = -100.0", "retrieval_score_fill = 250.0", 2],
]);
const { compile } = await import("../compiler/harness.js");
const { initBackend } = await import("../../src/runtime/backend/initBackend.js");
const { stepLosses, tinyConfig, tinyModel } = await import("../runtime/tinySteps.js");

test("explain shows the copy's fills, as stdlib defaults", async () => {
  const retrieval = await explainWithCopy("projects/quickstart/retrieval_shapes.lv");
  assert.match(retrieval, /^model\.text_attention_mask_fill = -2  default \(stdlib\/encoders\.lv:\d+\)$/m);
  assert.match(retrieval, /^model\.idx_queue_fill = -3  default \(stdlib\/lavisc\.lv:\d+\)$/m);
});

test("the compiled RunSpec carries the copy's retrieval_score_fill", () => {
  const model = compile(`experiment r {
  task retrieval
  model blip_retrieval(tiny)
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
  assert.is(model.retrievalScoreFill, 250);
});

test("the tiny models compute with the copy's fills", async () => {
  await initBackend("cpu");
  const caption = (keys: Record<string, unknown> = {}) => {
    const model = tinyModel("blip_caption", tinyConfig("blip_caption", keys));
    try {
      return JSON.stringify(stepLosses(model, 5));
    } finally {
      model.dispose();
    }
  };
  assert.is(caption(), caption({ text_attention_mask_fill: -2 }));
  assert.is.not(caption(), caption({ text_attention_mask_fill: -10000 }));
  const retrieval = tinyModel("blip_retrieval", tinyConfig("blip_retrieval"));
  try {
    assert.equal([...(await retrieval.stateDict()).get("idx_queue")!.data], new Array(16).fill(-3));
  } finally {
    retrieval.dispose();
  }
});

test.after(remove);
test.run();
