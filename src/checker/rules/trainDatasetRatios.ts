import { diag, didYouMean } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";

/** LV4008: the keys of `train_dataset_ratios` must be the names of this experiment's datasets. */
export const trainDatasetRatiosRule: Rule = (ctx) => {
  const ratios = ctx.at(["run", "train_dataset_ratios"]);
  const datasets = ctx.at(["datasets"]);
  if (ratios?.kind !== "map" || datasets?.kind !== "map") return;
  const names = [...datasets.entries.keys()];
  for (const [key, node] of ratios.entries) {
    if (datasets.entries.has(key) || !ctx.isUserValue(node)) continue;
    ctx.report(diag("LV4008", node.keySpan ?? node.span, { name: key }, { path: `run.train_dataset_ratios.${key}`, hint: didYouMean(key, names) ?? `The datasets are: ${names.join(", ")}.` }));
  }
};
