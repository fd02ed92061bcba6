import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { datasetFormat, localSplitStats } from "./localSplitStats.js";
import { nameAt } from "./names.js";
import { splitUses } from "./runSplits.js";

/**
 * LV4080 (warning): an evaluated retrieval split whose local annotation files have a record with an empty `caption`
 * list. LAVIS's RetrievalEvalDataset (lavis/datasets/datasets/retrieval_datasets.py) keeps the image with an empty
 * img2txt entry and RetrievalTask._report_metrics (lavis/tasks/retrieval.py) leaves its rank at 1e20, a miss, so
 * txt_r1/r5/r10 drop without a word; `lavisc run`'s preflight refuses it (runtime/data/uncaptionedImages.ts).
 */
export const uncaptionedRetrievalImagesRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const reported = new Set<string>();
  for (const use of splitUses(ctx).filter((u) => u.role !== "train")) {
    for (const dataset of use.datasets) {
      const key = `${dataset}/${use.split}`;
      if (reported.has(key) || datasetFormat(ctx, dataset, task) !== "retrieval") continue;
      reported.add(key);
      const local = localSplitStats(ctx, dataset, use.split);
      const found = local?.stats.uncaptioned;
      if (!local || !found) continue;
      ctx.report(diag("LV4080", ctx.spanFor(local.path), {
        dataset, split: use.split, count: found.count, images: found.count === 1 ? "image" : "images", file: found.file, index: found.index,
      }, { path: local.path.join(".") }));
    }
  }
};
