import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { blockOf, memberOf, namesOf } from "./contractData.js";
import { nameAt } from "./names.js";

/**
 * LV4084: `train_dataset_ratios` set, and a dataset of the experiment it gives no ratio, under a runner whose stdlib
 * `dataset_ratios { unnamed_dataset }` says how LAVIS fails then: RunnerIter.dataloaders raises ValueError for every
 * dataset the ratios do not name, whatever its splits, before training (lavisc would otherwise weigh it by its
 * size). LAVIS checks the names first, so while a ratio names no dataset (LV4008, often the same dataset misspelt)
 * this stays quiet.
 */
export const ratiosNameEveryDatasetRule: Rule = (ctx) => {
  const ratios = ctx.at(["run", "train_dataset_ratios"]);
  const datasets = ctx.at(["datasets"]);
  if (ratios?.kind !== "map" || datasets?.kind !== "map" || !ctx.isUserValue(ratios)) return;
  if ([...ratios.entries.keys()].some((k) => !datasets.entries.has(k))) return;
  const runner = nameAt(ctx, ["run", "runner"]);
  const failure = runner ? namesOf(memberOf(blockOf(ctx.registry.runners.get(runner), "dataset_ratios"), "unnamed_dataset"))?.[0] : undefined;
  if (!runner || !failure) return;
  const span = ratios.keySpan ?? ctx.spanFor(["run", "train_dataset_ratios"]);
  for (const dataset of datasets.entries.keys()) {
    if (ratios.entries.has(dataset)) continue;
    ctx.report(diag("LV4084", span, { dataset, runner, failure }, {
      path: "run.train_dataset_ratios",
      hint: `Give \`${dataset}\` a ratio in train_dataset_ratios (a dataset without a training split too), or remove it from the experiment.`,
    }));
  }
};
