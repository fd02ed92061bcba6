import { diag } from "../../diagnostics/index.js";
import { splitStats } from "../../compiler/annotationStats.js";
import { taskFacts } from "../../semantic/facts.js";
import { toPlain } from "../../semantic/configTree.js";
import type { Rule, RuleContext } from "../context.js";
import { nameAt } from "./names.js";
import { splitUses } from "./runSplits.js";

/**
 * LV4080 (warning): an evaluated retrieval split whose local annotation files have a record with an empty `caption`
 * list. LAVIS's RetrievalEvalDataset (lavis/datasets/datasets/retrieval_datasets.py) keeps the image with an empty
 * img2txt entry and RetrievalTask._report_metrics (lavis/tasks/retrieval.py) leaves its rank at 1e20, a miss, so
 * txt_r1/r5/r10 drop without a word; `lavisc run`'s preflight refuses it (runtime/data/uncaptionedImages.ts). Counted
 * by check's byte scanner (compiler/annotationRecords.ts) from files that exist here; never downloaded.
 */
export const uncaptionedRetrievalImagesRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const reported = new Set<string>();
  for (const use of splitUses(ctx).filter((u) => u.role !== "train")) {
    for (const dataset of use.datasets) {
      const key = `${dataset}/${use.split}`;
      if (reported.has(key) || retrievalFormat(ctx, dataset, task) !== true) continue;
      reported.add(key);
      const path = ["datasets", dataset, "build_info", "annotations", use.split, "storage"];
      const storage = toPlain(ctx.at(path));
      const files = (Array.isArray(storage) ? storage : [storage]).filter((s): s is string => typeof s === "string");
      if (!files.length) continue;
      const builder = ctx.registry.builders.get(dataset);
      const prepare = builder ? ctx.registry.metaString(builder, "prepare") ?? undefined : undefined;
      const found = splitStats({ splits: [{ split: use.split, annotations: files.map((f) => ({ storage: f })) }], prepare }, use.split)?.uncaptioned;
      if (!found) continue;
      ctx.report(diag("LV4080", ctx.spanFor(path), {
        dataset, split: use.split, count: found.count, images: found.count === 1 ? "image" : "images", file: found.file, index: found.index,
      }, { path: path.join(".") }));
    }
  }
};

/** Whether the dataset's evaluated splits are read as retrieval records: the builder's declared format, else the task's. */
function retrievalFormat(ctx: RuleContext, dataset: string, task: string | null | undefined): boolean {
  const builder = ctx.registry.builders.get(dataset);
  const declared = builder ? ctx.registry.metaString(builder, "format") : null;
  return (declared ?? (task ? taskFacts(ctx.registry, task).format : null)) === "retrieval";
}
