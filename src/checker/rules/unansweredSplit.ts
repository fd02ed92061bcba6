import { diag } from "../../diagnostics/index.js";
import { toPlain } from "../../semantic/configTree.js";
import type { Rule, RuleContext } from "../context.js";
import { recordsWithout, unansweredRecords } from "./contractData.js";
import { nameAt } from "./names.js";
import { splitUses } from "./runSplits.js";

/**
 * LV4096: the task evaluates a split whose records carry no ground truth, and fails on it. GQATask._report_metrics
 * (lavis/tasks/vqa.py @7a08d0c) calls `self._save_result_leaderboard`, which only AOKVQATask defines, when a record's
 * answer is None, as it is for every record of GQA's test split (the task's `unanswered_records`, the builder's
 * `records_without` in stdlib/contracts.lv). The whole split is predicted first, so the run fails at its end. Datasets
 * whose builder lists no such file, and records files the stdlib does not know, are not judged.
 */
export const unansweredSplitRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const fails = task ? unansweredRecords(ctx.registry, task) : null;
  if (!fails) return;
  for (const use of splitUses(ctx).filter((u) => u.role !== "train")) {
    for (const dataset of use.datasets) {
      const records = recordsFile(ctx, dataset, use.split);
      if (!records || !recordsWithout(ctx.registry, dataset, fails.key).includes(records)) continue;
      const node = ctx.at(["run", use.key]);
      const item = node?.kind === "list" ? node.items[use.index] : undefined;
      ctx.report(diag("LV4096", item && ctx.isUserValue(item) ? item.span : ctx.spanFor(["run", use.key]), {
        task: task!, split: use.split, dataset, records, key: fails.key, failure: fails.failure,
      }, {
        path: `run.${use.key}`,
        hint: `Evaluate a split whose records have \`${fails.key}\` (GQA's testdev or val), or leave \`${use.split}\` out of run.${use.key}; predictions for GQA's test split are scored by its evaluation server, which LAVIS's GQATask does not prepare.`,
      }));
    }
  }
};

/** The records file of a dataset's split: its first `storage` entry (the dataset class reads ann_paths[0]). */
function recordsFile(ctx: RuleContext, dataset: string, split: string): string | null {
  const storage = toPlain(ctx.at(["datasets", dataset, "build_info", "annotations", split, "storage"]));
  const first = Array.isArray(storage) ? storage[0] : storage;
  return typeof first === "string" ? first : null;
}
