import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkFile } from "../../../src/index.js";
import { edit } from "../harness.js";

// blip_retrieval's checkpoints leave out the momentum encoders (stdlib/contracts_weights.lv `frozen`), so LAVIS's
// strict resume fails (LAVIS#153); lavisc's runtime saves every tensor and resumes its own checkpoints exactly.
const resuming = edit("min_lr = 0", `min_lr = 0\n    resume_ckpt_path = "output/ret/20260101000/checkpoint_0.json"`);

function lv4065(engine: "tfjs" | "any") {
  const name = "/virtual/exp.lv";
  const reader = { readFile: (p: string) => { if (p === name) return resuming; throw new Error(`no such file ${p}`); }, exists: (p: string) => p === name };
  return checkFile(name, reader, { graph: { engine } }).diagnostics.filter((d) => d.code === "LV4065");
}

const t = suite("rules: resuming a model with frozen parameters (LV4065)");
t("a check for LAVIS's engine reports it, and the hint says what its way round costs and that lavisc's runtime needs none", () => {
  const [d, ...rest] = lv4065("any");
  assert.equal(rest, []);
  assert.is(d!.severity, "error");
  assert.match(d!.message, /`blip_retrieval`, whose checkpoints leave out the momentum encoders/);
  assert.match(d!.hint!, /For LAVIS's engine.*the optimizer state and the epoch start afresh/);
  assert.match(d!.hint!, /`lavisc run` \(the tfjs engine\) resumes lavisc's own checkpoints exactly/);
});
t("the tfjs engine (the resume command lavisc prints after an interrupted run) gets neither error nor warning", () => {
  assert.equal(lv4065("tfjs"), []);
});
t.run();
