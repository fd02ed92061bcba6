import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { datasetFormat, localSplitStats } from "./localSplitStats.js";
import { nameAt } from "./names.js";
import { splitUses } from "./runSplits.js";

/**
 * LV4081 (error): a local annotation file whose `caption` has the shape LAVIS's dataset does not read as captions.
 * Training records of caption and retrieval datasets (CaptionDataset, RetrievalDataset in
 * lavis/datasets/datasets/caption_datasets.py and retrieval_datasets.py) go whole to the text processor, whose
 * pre_caption calls `caption.lower()`: a list fails at the first batch. An evaluated retrieval split
 * (RetrievalEvalDataset) iterates `caption`: a string's characters each become a text to retrieve, and recall is
 * scored on them without a word. `lavisc run` refuses both before training (runtime/data/annotations.ts).
 */
export const captionShapeRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const reported = new Set<string>();
  for (const use of splitUses(ctx)) {
    const training = use.role === "train";
    for (const dataset of use.datasets) {
      const format = datasetFormat(ctx, dataset, task);
      const key = `${dataset}/${use.split}/${training}`;
      if (reported.has(key) || !(format === "retrieval" || (training && format === "caption"))) continue;
      reported.add(key);
      const local = localSplitStats(ctx, dataset, use.split);
      const found = training ? local?.stats.listCaptions : local?.stats.stringCaptions;
      if (!local || !found) continue;
      const records = found.count === 1 ? "record" : "records";
      ctx.report(diag("LV4081", ctx.spanFor(local.path), training
        ? { dataset, split: use.split, count: found.count, records, shape: "a list", file: found.file, index: found.index,
          effect: "LAVIS's training datasets hand it whole to the text processor, which fails on a list at the first batch" }
        : { dataset, split: use.split, count: found.count, records, shape: "a string", file: found.file, index: found.index,
          effect: "LAVIS's RetrievalEvalDataset iterates it, so each of its characters becomes a text to retrieve and recall is scored on them" },
      { path: local.path.join(".") }));
    }
  }
};
