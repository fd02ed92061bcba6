import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildPlan } from "../../../src/compiler/plan.js";
import { renderPlanText } from "../../../src/compiler/planText.js";
import { captioning, compile, edit, graphCodes, retrievalWithFiles } from "../harness.js";
import { writeRetrievalSplits } from "./fixtures.js";

const t = suite("graph rule trainingLength (LV5014)");
const NONSENSE = /Infinity|NaN|\bnan\b/;
t("max_epoch of 10^12 is a long run, not an error", () => {
  assert.equal(graphCodes(retrievalWithFiles("/nonexistent"), { sets: ["recipe.max_epoch=1000000000000"] }), []);
});
t("max_epoch 1e308: an error where it is set, and a plan (text and json) without Infinity or NaN", () => {
  const dir = writeRetrievalSplits({ train: 8, val: 3, test: 3 });
  const src = retrievalWithFiles(dir);
  assert.equal(graphCodes(src, { sets: ["recipe.max_epoch=1e308"] }).map((c) => c.slice(0, 2)), [["LV5014", "run.max_epoch"]]);
  const plan = buildPlan(compile(src, { sets: ["recipe.max_epoch=1e308"] }).graph);
  const text = renderPlanText(plan);
  assert.not.match(text, NONSENSE, text);
  assert.not.match(JSON.stringify(plan), NONSENSE);
  assert.is(plan.steps?.total, null);
  assert.is(plan.lr, null);
  assert.is(plan.storage.checkpointFiles, null);
  assert.match(text, /total: more than 1\.8e\+308: beyond 9007199254740991 \(LV5014\)/);
  assert.match(text, /error LV5014: `max_epoch` is 1e\+308: the run would train more than 1\.8e\+308 steps/);
  assert.match(text, /unknown: the run's length is beyond counting \(LV5014\)/);
  assert.match(text, /checkpoints and log\.txt: without bound/);
});
t("the steps count, not max_epoch alone: 2 steps an epoch for 2^52 epochs is beyond counting", () => {
  const dir = writeRetrievalSplits({ train: 8, val: 3, test: 3 });
  assert.equal(graphCodes(retrievalWithFiles(dir), { sets: [`recipe.max_epoch=${2 ** 52}`] }).map((c) => c[0]), ["LV5014"]);
  assert.equal(graphCodes(retrievalWithFiles(dir), { sets: [`recipe.max_epoch=${2 ** 50}`] }), []);
  // Unknown split sizes: max_epoch alone (at least one step an epoch).
  assert.equal(graphCodes(retrievalWithFiles("/nonexistent"), { sets: [`recipe.max_epoch=${2 ** 52}`] }), []);
  assert.equal(graphCodes(retrievalWithFiles("/nonexistent"), { sets: ["recipe.max_epoch=1e17"] }).map((c) => c[0]), ["LV5014"]);
});
t("runner_iter: max_iters 1e308 is LV5014, and its plan prints no nonsense either", () => {
  const src = edit(captioning, "min_len = 5", "min_len = 5\n    runner = runner_iter\n    max_iters = 1e308\n    iters_per_inner_epoch = 100");
  assert.equal(graphCodes(src).map((c) => c.slice(0, 2)), [["LV5014", "run.max_iters"]]);
  const plan = buildPlan(compile(src).graph);
  assert.not.match(renderPlanText(plan), NONSENSE, renderPlanText(plan));
  assert.not.match(JSON.stringify(plan), NONSENSE);
});
t.run();
