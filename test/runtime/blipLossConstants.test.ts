// The BLIP family's loss constants are LAVIS facts the stdlib declares (the ITC temperature's init and clamp, the
// momentum-distillation alpha's ramp-up, the decoder's label smoothing): the training losses of each tiny arch with
// the stdlib's values are pinned from the runtime that had them written in TypeScript, so moving them changed nothing.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { initBackend } from "../../src/runtime/backend/initBackend.js";
import { TINY_ARCHS, stepLosses, tinyConfig, tinyModel } from "./tinySteps.js";

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

test.run();
