// CLIP's parameter count in `lavisc plan` is the number of parameters the runtime's CLIP creates, for the two
// fashion_mnist projects that use it (with a vocabulary of the config's vocab_size: the built one may be smaller, and
// plan's count is then an upper bound, as for BLIP). Before, plan said "parameters: unknown" for clip, so its memory
// checks (LV6005) never ran.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as tf from "@tensorflow/tfjs";
import { checkFile } from "../../src/index.js";
import { nodeHost } from "../../src/cli/host.js";
import { lowerToGraph, runSpecOf } from "../../src/compiler/lower.js";
import { buildPlan } from "../../src/compiler/plan.js";
import { renderPlanText } from "../../src/compiler/planText.js";
import { estimateParams } from "../../src/compiler/paramCount.js";
import { createModel } from "../../src/runtime/models/index.js";
import { withoutRandomInit } from "../../src/runtime/nn/paramStore.js";
import { WordPieceTokenizer } from "../../src/runtime/nn/tokenizer.js";
import { fromRoot } from "../harness/repoRoot.js";

function vocabOf(size: number): WordPieceTokenizer {
  const vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  while (vocab.length < size) vocab.push(`w${vocab.length}`);
  return new WordPieceTokenizer(vocab);
}

for (const project of ["projects/fashion_mnist/clip_zeroshot.lv", "projects/fashion_mnist/clip_finetune.lv"]) {
  test(`${project}: plan's parameter count is the runtime's CLIP's`, async () => {
    await tf.setBackend("cpu");
    const r = checkFile(fromRoot(project), nodeHost());
    assert.ok(r.resolved, project);
    const graph = lowerToGraph(r.resolved!, { dataRoot: "/nonexistent" }).graph;
    const spec = runSpecOf(graph).model;
    assert.is(spec.arch, "clip");
    const est = estimateParams(spec.arch, spec.config);
    assert.ok(est, "clip's parameters are modelled");
    const model = withoutRandomInit(() => createModel(spec, vocabOf(spec.config["vocab_size"] as number), 1));
    if (Array.isArray(model)) throw new Error(model.join("; "));
    try {
      let n = 0;
      for (const v of model.trainable.values()) n += v.size;
      assert.is(est!.total, n);
      assert.is(est!.trainable, n);
      assert.is(est!.parts["visual"]! + est!.parts["text"]! + est!.parts["logit_scale"]!, n);
    } finally {
      model.dispose();
    }
    const text = renderPlanText(buildPlan(graph, { machine: { cores: 4, memoryBytes: 2 ** 34 } }));
    assert.match(text, new RegExp(`parameters: [^\\n]*\\(${est!.total}\\), trainable`));
    assert.match(text, /memory per training step \(fp32 estimate\): /);
    assert.not.match(text, /parameters: unknown/);
  });
}
test.run();
