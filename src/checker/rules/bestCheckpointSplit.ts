import { diag } from "../../diagnostics/index.js";
import { runnerBestSplit, runnerSavesAlso, runnerTestWeights } from "../../semantic/facts.js";
import type { Rule } from "../context.js";
import { listOfNames, nameAt, quoteList } from "./names.js";
import { providedSplits } from "./runSplits.js";

/**
 * LV4072: validation splits without the one the runner keeps the best checkpoint for (the runner's stdlib
 * `best_split`). RunnerBase.train and RunnerIter.train (lavis/runners/ @506965b) save checkpoint_best only when
 * `split_name == "val"` improves, so validating other splits never writes one, in silence (LAVIS#791: BLIP-2's own
 * retrieval_coco_ft.yaml validates on `test`). RunnerBase's test phase then reloads checkpoint_best.pth and stops
 * with FileNotFoundError (its stdlib `test_weights = best`); RunnerIter's tests the last weights and reloads nothing
 * (`test_weights = last`), but saves no checkpoint_<iters> either when it validates (`saves_also = []`), so such a run
 * keeps no checkpoint at all. Only test splits the experiment sets are named: LAVIS's runner tests none by default.
 * A runner without `best_split` (a fork's own, which may pick another split) is not judged.
 */
export const bestCheckpointSplitRule: Rule = (ctx) => {
  const evaluate = ctx.at(["run", "evaluate"]);
  if (evaluate?.kind === "scalar" && evaluate.value === true) return;
  const runner = nameAt(ctx, ["run", "runner"]) ?? "runner_base";
  const best = runnerBestSplit(ctx.registry, runner);
  const valid = listOfNames(ctx, ["run", "valid_splits"]);
  if (!best || !valid?.length || valid.some((s) => s.name === best)) return;
  // A split no dataset provides is LV4005's error; this is about splits that exist.
  const provided = providedSplits(ctx);
  if (provided && valid.some((s) => !provided.has(s.name))) return;
  const testNode = ctx.at(["run", "test_splits"]);
  const tests = testNode && ctx.isUserValue(testNode) ? listOfNames(ctx, ["run", "test_splits"]) ?? [] : [];
  const reloadsBest = runnerTestWeights(ctx.registry, runner) !== "last";
  ctx.report(diag("LV4072", ctx.spanFor(["run", "valid_splits"]), {
    best, splits: JSON.stringify(valid.map((s) => s.name)),
    test: tests.length && reloadsBest
      ? `; testing ${quoteList(tests.map((s) => s.name))} after training reloads checkpoint_best.pth, so LAVIS stops there with \`FileNotFoundError\` (lavisc's engine tests the last weights)`
      : "",
  }, {
    path: "run.valid_splits",
    hint: `${otherCheckpoints(runnerSavesAlso(ctx.registry, runner), runner)} Name the validation split \`${best}\` to keep the best checkpoint, or test a chosen checkpoint afterwards with evaluate.py.`,
  }));
};

/** The checkpoints a run keeps without checkpoint_best, by the runner's stdlib `saves_also` (null: undeclared). */
function otherCheckpoints(savesAlso: string[] | null, runner: string): string {
  if (savesAlso && !savesAlso.length) return `\`${runner}\` saves no other checkpoint while it validates, so the run keeps none at all (LAVIS#791).`;
  const keys = savesAlso ?? ["save_freq", "save_last"];
  return `The only checkpoints left are the checkpoint_<epoch> files of ${keys.join(" and ")} (LAVIS#791).`;
}
