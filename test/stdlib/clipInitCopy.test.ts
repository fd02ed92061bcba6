// CLIP's init constants are read from the stdlib, not written in TypeScript: a copy of stdlib/ (named by
// $LAVISC_STDLIB) that declares another init_temperature and token_embedding_std makes `explain` show them and the
// tiny CLIP start from them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { repoRoot } from "../harness/repoRoot.js";
import { useStdlibCopy } from "../harness/stdlibCopy.js";

// Before lavisc loads its stdlib.
const { remove } = useStdlibCopy("lavisc-clip-init-copy-", [
  ["lavisc_clip.lv", "init_temperature: float(> 0) = 0.07", "init_temperature: float(> 0) = 0.1"],
  ["lavisc_clip.lv", "token_embedding_std: float(> 0) = 0.02", "token_embedding_std: float(> 0) = 0.05"],
]);
const { runCli } = await import("../../src/cli/main.js");
const { memoryHost } = await import("../../src/cli/host.js");
const { modelConfigOf } = await import("../harness/modelConfig.js");
const { initBackend } = await import("../../src/runtime/backend/initBackend.js");
const { createModel } = await import("../../src/runtime/models/index.js");
const { WordPieceTokenizer, buildVocab } = await import("../../src/runtime/nn/tokenizer.js");

test("explain shows the copy's constants, as stdlib defaults", async () => {
  const h = memoryHost({}, repoRoot());
  assert.is(await runCli(["explain", "projects/fashion_mnist/clip_zeroshot.lv"], h), 0, h.err);
  assert.match(h.out, /^model\.init_temperature = 0\.1  default \(stdlib\/lavisc_clip\.lv:\d+\)$/m);
  assert.match(h.out, /^model\.token_embedding_std = 0\.05  default \(stdlib\/lavisc_clip\.lv:\d+\)$/m);
});

test("the tiny CLIP starts from the copy's constants", async () => {
  await initBackend("cpu");
  const config = modelConfigOf({ arch: "clip", model_type: "tiny", init_std: null });
  const model = createModel({ arch: "clip", modelType: "tiny", config, loadWeights: null }, new WordPieceTokenizer(buildVocab(["a red square"])), 42);
  if (Array.isArray(model)) throw new Error(model.join("; "));
  try {
    const state = await model.stateDict();
    assert.is(state.get("logit_scale")!.data[0], Math.fround(Math.log(1 / 0.1)));
    const d = state.get("token_embedding.weight")!.data;
    let sq = 0;
    for (const x of d) sq += x * x;
    const std = Math.sqrt(sq / d.length);
    assert.ok(Math.abs(std / 0.05 - 1) < 0.05, `token_embedding.weight std ${std}, the copy declares 0.05`);
  } finally {
    model.dispose();
  }
});

test.after(remove);
test.run();
