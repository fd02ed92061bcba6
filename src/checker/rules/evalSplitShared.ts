import { diag } from "../../diagnostics/index.js";
import { datasetSplits } from "../../semantic/resolve.js";
import type { Rule } from "../context.js";
import { quoteList } from "./names.js";

/** The splits BaseDatasetBuilder.build makes; other annotation keys (ans2label, ...) are skipped. */
const BUILT = ["val", "test"];

/**
 * LV4064: an evaluation split that two datasets provide. The builders build every train/val/test split their
 * annotations list, and RunnerBase.dataloaders concatenates only `train`: concat_datasets asserts "Do not support
 * multiple {split} datasets." for any other split with more than one dataset (lavis/datasets/data_utils.py @200ac17),
 * whether or not the run evaluates it.
 */
export const evalSplitSharedRule: Rule = (ctx) => {
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind !== "map" || datasets.entries.size < 2) return;
  for (const split of BUILT) {
    const providers = [...datasets.entries].filter(([, cfg]) => datasetSplits(cfg)?.includes(split)).map(([n]) => n);
    if (providers.length < 2) continue;
    const [first, ...rest] = providers;
    for (const name of rest) {
      ctx.report(diag("LV4064", ctx.spanFor(["datasets", name, "build_info", "annotations", split]), { split, dataset: name, others: quoteList([first!]) }, {
        path: `datasets.${name}.build_info.annotations.${split}`,
        hint: `Keep \`${split}\` in one dataset only (remove it from the others' build_info.annotations); evaluate the other dataset in a run of its own.`,
      }));
    }
  }
};
