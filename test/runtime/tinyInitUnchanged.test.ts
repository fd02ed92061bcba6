// `init_std = x` (lavisc's own key, 0.2 in every tiny model type of stdlib/lavisc_*.lv) draws the same initial weights
// as when the published results were trained: a checksum of each tiny model's whole initial state (parameters,
// momentum copies, queues) for a fixed seed, pinned from the runtime before LAVIS's own inits (init_std absent) were
// added. A change here changes every published tiny result.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { modelConfigOf } from "../harness/modelConfig.js";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { createModel } from "../../src/runtime/models/index.js";
import { stateChecksum } from "./stateChecksum.js";
import { WordPieceTokenizer, buildVocab } from "../../src/runtime/nn/tokenizer.js";

const tokenizer = new WordPieceTokenizer(buildVocab(["a red square", "the blue circle is small", "what colour is it", "yes", "no"]));

const PINNED: Record<string, string> = {
  blip_retrieval: "bd2f8bb5fdca9c86",
  blip_caption: "da0df559a8c8776f",
  blip_vqa: "bdfa4eb44bab2ef8",
  blip_classification: "9af9662f5832e073",
  albef_classification: "16e24a7a99fd7414",
  blip_feature_extractor: "144dcff935d93c3e",
  clip: "de58681cb48137d7",
};

const checksum = stateChecksum;

test.before(async () => {
  await initBackend("cpu");
});

for (const arch of Object.keys(PINNED)) {
  test(`${arch}(tiny): the initial state is the one the published results started from`, async () => {
    const config = modelConfigOf({ arch, model_type: "tiny", ...(arch.endsWith("_classification") ? { num_classes: 3 } : {}) });
    assert.equal(config.init_std, 0.2);
    const model = createModel({ arch, modelType: "tiny", config, loadWeights: null }, tokenizer, 42);
    if (Array.isArray(model)) throw new Error(model.join("; "));
    try {
      const sum = await checksum(model);
      assert.equal(sum, PINNED[arch]);
    } finally {
      model.dispose();
    }
  });
}

test.run();
