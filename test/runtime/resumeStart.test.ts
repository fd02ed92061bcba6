// Where a resumed run continues: one formula (src/runtime/checkpoint/resumeStart.ts) for the run's restoreTraining and
// `lavisc plan`'s resume plan, which had each computed it (test/compiler/planResume.test.ts compares the two through a
// real run). Checkpoints as each runner's Checkpointer writes them: `epoch` the last finished epoch (runner_base) or
// inner epoch (runner_iter, `iters` beside it), `partial` where a stop request interrupted one.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resumeStart } from "../../src/runtime/checkpoint/resumeStart.js";

const meters = { lr: { sum: 0.003, count: 3 }, loss: { sum: 6.5, count: 3 } };

test("runner_base: after checkpoint_<e> the run continues at epoch e + 1", () => {
  assert.equal(resumeStart({ epoch: 0, partial: null }), { epoch: 1, skipSteps: 0, meters: null });
  assert.equal(resumeStart({ epoch: 4, partial: null }), { epoch: 5, skipSteps: 0, meters: null });
});

test("runner_base: checkpoint_interrupted continues inside the epoch it stopped in, with the steps done and their sums", () => {
  assert.equal(resumeStart({ epoch: 1, partial: { epoch: 2, step: 7, meters } }), { epoch: 2, skipSteps: 7, meters });
});

test("runner_iter: after checkpoint_<iters> the run continues at the next inner epoch (not LAVIS's iters + 1)", () => {
  // checkpoint_6 of inner epochs of 2: inner epoch 2 is done, 6 iterations; the run goes on with inner epoch 3.
  const checkpoint6 = { epoch: 2, iters: 6, partial: null };
  assert.equal(resumeStart(checkpoint6), { epoch: 3, skipSteps: 0, meters: null });
});

test("runner_iter: checkpoint_interrupted continues inside the inner epoch it stopped in", () => {
  const interrupted = { epoch: 0, iters: 2, partial: { epoch: 1, step: 1, meters } };
  assert.equal(resumeStart(interrupted), { epoch: 1, skipSteps: 1, meters });
});

test("a stop after the last (inner) epoch resumes past the end: nothing is trained, the test phase runs", () => {
  // EpochLoop.stopAfterTraining saves epoch maxEpoch - 1 with no partial epoch.
  assert.equal(resumeStart({ epoch: 2, partial: null }).epoch, 3);
});

test.run();
