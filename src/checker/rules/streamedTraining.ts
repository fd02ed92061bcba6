import { diag } from "../../diagnostics/index.js";
import { datasetSplits } from "../../semantic/resolve.js";
import type { Rule, RuleContext } from "../context.js";
import { blockOf, memberOf, namesOf } from "./contractData.js";
import { nameAt } from "./names.js";

/** What a runner's stdlib `streamed_training` block says: present when the runner cannot train on streamed datasets. */
interface StreamedTraining {
  /** LAVIS's failure when only streamed datasets train. */
  readonly alone: string;
  /** LAVIS's failure when map-style datasets train beside them. */
  readonly mixed: string;
  /** The runner that trains them. */
  readonly instead: string;
}

function streamedTraining(ctx: RuleContext, runner: string): StreamedTraining | null {
  const block = blockOf(ctx.registry.runners.get(runner), "streamed_training");
  const [alone, mixed, instead] = ["alone", "mixed", "instead"].map((k) => namesOf(memberOf(block, k))?.[0]);
  return alone && mixed && instead ? { alone, mixed, instead } : null;
}

/** The splits a builder's dataset streams (its stdlib `streamed { splits }`), or none. */
function streamedSplits(ctx: RuleContext, builder: string): string[] {
  return namesOf(memberOf(blockOf(ctx.registry.builders.get(builder), "streamed"), "splits")) ?? [];
}

/**
 * LV4083: a streamed training dataset (a builder's stdlib `streamed` splits: LAION's webdataset DataPipeline, which
 * has no length) trained by a runner that asks the train loader for its length (the runner's `streamed_training`).
 * RunnerBase counts a lone chained dataset with len() and BaseTask.train_epoch passes len(data_loader) as the epoch's
 * iterations, so LAVIS stops with a TypeError as the first epoch starts (LAVIS#521: pretrain_stage1.yaml
 * with its datasets replaced by laion2B_multi shards); RunnerIter trains such data. Evaluation-only runs train
 * nothing and are left alone; a runner that declares nothing (a fork's own) is not judged.
 */
export const streamedTrainingRule: Rule = (ctx) => {
  const evaluate = ctx.at(["run", "evaluate"]);
  const datasets = ctx.at(["datasets"]);
  if ((evaluate?.kind === "scalar" && evaluate.value === true) || datasets?.kind !== "map") return;
  const runner = nameAt(ctx, ["run", "runner"]);
  const fails = runner ? streamedTraining(ctx, runner) : null;
  if (!runner || !fails) return;
  const streamed = [...datasets.entries].filter(([name]) => streamedSplits(ctx, name).includes("train"));
  if (!streamed.length) return;
  const mapStyle = [...datasets.entries].some(([name, cfg]) => !streamed.some(([s]) => s === name) && datasetSplits(cfg)?.includes("train"));
  const written = ctx.at(["run", "runner"]);
  // The runner the experiment writes, else the `run` section that leaves it to its default.
  const span = written && ctx.isUserValue(written) ? written.span ?? ctx.spanFor(["run", "runner"]) : ctx.at(["run"])?.keySpan ?? ctx.spanFor(["run"]);
  for (const [dataset] of streamed) {
    ctx.report(diag("LV4083", span, { dataset, runner, failure: mapStyle ? fails.mixed : fails.alone, instead: fails.instead }, { path: "run.runner" }));
  }
};
