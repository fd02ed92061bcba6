// What each runner calls its evaluations (stdlib/training.lv `evaluation_names`), filled as the run and plan fill
// them (src/runtime/train/runFiles.ts evaluationName), and LAVIS's train_loader.epoch that RunnerIter puts in them
// (src/runtime/innerEpochs.ts loaderEpoch; IterLoader in lavis/datasets/datasets/dataloader_utils.py @200ac17).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loaderEpoch, loaderStartIters } from "../../src/runtime/innerEpochs.js";
import { bestCountedIn, evaluationName } from "../../src/runtime/train/runFiles.js";
import { describeResume, whyNoBestCheckpoint } from "../../src/runtime/train/checkpointing.js";
import { evaluationNamesOf } from "../harness/runnerFacts.js";

test("IterLoader counts a pass when the batch after its last is drawn", () => {
  // 7 batches a pass: batches 1..7 in epoch 0, the 8th starts epoch 1, the 15th epoch 2.
  assert.equal([0, 1, 7, 8, 14, 15].map((n) => loaderEpoch(n, 7)), [0, 0, 0, 1, 1, 2]);
});

test("a MultiIterLoader has no epoch: RunnerIter.cur_epoch's `except AttributeError` says 0", () => {
  assert.is(loaderEpoch(100, null), 0);
});

test("runner_iter: validation \"<loader epoch>_iters=<end_iters>\", the test the loader epoch, log.txt's best_iters", () => {
  const names = evaluationNamesOf("runner_iter");
  const at = { epoch: 1, iters: 14, loaderEpoch: loaderEpoch(14, 7) };
  assert.is(evaluationName(names.validation, at), "1_iters=14");
  assert.is(evaluationName(names.testLast, at), "1");
  assert.is(names.bestKey, "best_iters");
  assert.is(evaluationName(names.bestValue, at), "14");
});

test("runner_base: everything by the epoch, log.txt's best_epoch", () => {
  const names = evaluationNamesOf("runner_base");
  const at = { epoch: 3, iters: 28, loaderEpoch: 3 };
  assert.equal([names.validation, names.testLast, names.bestValue].map((t) => evaluationName(t, at)), ["3", "3", "3"]);
  assert.is(names.bestKey, "best_epoch");
});

// RunnerIter._load_checkpoint (runner_iter.py @cd4db98) restores the model, optimizer, scaler and start_iters only;
// the resumed process's train_loader is a new IterLoader, `self._epoch = 0` (dataloader_utils.py @200ac17).
test("after a resume the loader epoch counts the batches drawn since then (stdlib loader_restarts_on_resume)", () => {
  const names = evaluationNamesOf("runner_iter");
  assert.is(names.loaderRestartsOnResume, true);
  assert.is(evaluationNamesOf("runner_base").loaderRestartsOnResume, true);
  // Resumed after inner epoch 0 (7 iterations), 7 batches a pass: at 14 iterations the new loader has drawn 7.
  const start = loaderStartIters(names.loaderRestartsOnResume, { epoch: 1, skipSteps: 0 }, 7);
  assert.is(start, 7);
  assert.equal([14, 21, 28].map((iters) => evaluationName(names.validation, { epoch: 0, iters, loaderEpoch: loaderEpoch(iters - start, 7) })), ["0_iters=14", "1_iters=21", "2_iters=28"]);
  // A stop inside inner epoch 1 at step 3: the loader is new from iteration 10; a fresh run starts at 0.
  assert.is(loaderStartIters(true, { epoch: 1, skipSteps: 3 }, 7), 10);
  assert.is(loaderStartIters(true, { epoch: 0, skipSteps: 0 }, 7), 0);
  assert.is(loaderStartIters(false, { epoch: 3, skipSteps: 2 }, 7), 0);
  // A resume past the end trains nothing: the new loader has drawn nothing, epoch 0.
  assert.is(loaderEpoch(14 - loaderStartIters(true, { epoch: 2, skipSteps: 0 }, 7), 7), 0);
});

test("plan fills what only the run knows with placeholders", () => {
  const at = { epoch: "<epoch>", iters: "<iters>", loaderEpoch: "<loader_epoch>" };
  assert.is(evaluationName(evaluationNamesOf("runner_iter").validation, at), "<loader_epoch>_iters=<iters>");
});

// The resume line and the no-checkpoint_best warning say what the best is counted in by the runner's best_key, not by
// its name: a runner whose stdlib best_key is best_iters says "iters", one with another best_key says that.
test("the resume line and the missing checkpoint_best warning count the best as the runner's best_key does", () => {
  const resumed = { start: { epoch: 2, skipSteps: 0, meters: null }, best: { aggMetrics: 0.5, epoch: 140 }, bestPath: null };
  const iter = evaluationNamesOf("runner_iter"), base = evaluationNamesOf("runner_base");
  assert.is(bestCountedIn(iter), "iters");
  assert.is(bestCountedIn(base), "epoch");
  assert.match(describeResume(resumed, "ckpt.json", iter), /best so far agg_metrics 0\.5 at iters 140, kept/);
  assert.match(describeResume(resumed, "ckpt.json", base), /best so far agg_metrics 0\.5 at epoch 140, kept/);
  assert.match(describeResume(resumed, "ckpt.json", { ...base, bestKey: "best_step" }), /at step 140, kept/);
  const spec = { bestSplit: "val", validSplits: ["val"], evaluationNames: iter };
  assert.match(whyNoBestCheckpoint(spec, resumed.best, "ckpt.json"), /best agg_metrics 0\.5 \(iters 140\) restored from ckpt\.json/);
  assert.match(whyNoBestCheckpoint({ ...spec, evaluationNames: { ...base, bestKey: "best_step" } }, resumed.best, "ckpt.json"), /\(step 140\)/);
});

test.run();
