// The BLIP family's loss constants are read from the stdlib, not written in TypeScript: a copy of stdlib/ (named by
// $LAVISC_STDLIB) that declares another blip_retrieval init_temperature and alpha ramp-up and another blip_caption
// label smoothing makes `explain` show them and the tiny models train with them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { explainWithCopy, useStdlibCopy } from "../harness/stdlibCopy.js";

// Before lavisc loads its stdlib.
const { remove } = useStdlibCopy("lavisc-blip-constants-copy-", [
  ["lavisc.lv", "init_temperature: float(> 0) = 0.07", "init_temperature: float(> 0) = 0.1"],
  ["lavisc.lv", "alpha_rampup_epochs: int(> 0) = 2", "alpha_rampup_epochs: int(> 0) = 3"],
  ["lavisc_blip_caption.lv", "label_smoothing: float(>= 0, < 1) = 0.1", "label_smoothing: float(>= 0, < 1) = 0.2"],
]);
const { initBackend } = await import("../../src/runtime/backend/initBackend.js");
const { stepLosses, tinyConfig, tinyModel } = await import("../runtime/tinySteps.js");

test("explain shows the copy's constants, as stdlib defaults", async () => {
  const retrieval = await explainWithCopy("projects/quickstart/retrieval_shapes.lv");
  assert.match(retrieval, /^model\.init_temperature = 0\.1  default \(stdlib\/lavisc\.lv:\d+\)$/m);
  assert.match(retrieval, /^model\.alpha_rampup_epochs = 3  default \(stdlib\/lavisc\.lv:\d+\)$/m);
  assert.match(await explainWithCopy("projects/quickstart/caption_shapes.lv"), /^model\.label_smoothing = 0\.2  default \(stdlib\/lavisc_blip_caption\.lv:\d+\)$/m);
});

/** The losses of a few training steps of `arch(tiny)` with `keys` over the copy's defaults. */
function losses(arch: "blip_retrieval" | "blip_caption", keys: Record<string, unknown> = {}): string {
  const model = tinyModel(arch, tinyConfig(arch, keys));
  try {
    return JSON.stringify(stepLosses(model, 5));
  } finally {
    model.dispose();
  }
}

test("the tiny models train with the copy's constants", async () => {
  await initBackend("cpu");
  const retrieval = losses("blip_retrieval");
  assert.is(retrieval, losses("blip_retrieval", { init_temperature: 0.1, alpha_rampup_epochs: 3 }));
  assert.is.not(retrieval, losses("blip_retrieval", { init_temperature: 0.07, alpha_rampup_epochs: 2 }));
  const caption = losses("blip_caption");
  assert.is(caption, losses("blip_caption", { label_smoothing: 0.2 }));
  assert.is.not(caption, losses("blip_caption", { label_smoothing: 0.1 }));
});

test.after(remove);
test.run();
