import { diag } from "../../diagnostics/index.js";
import { toPlain } from "../../semantic/configTree.js";
import { keyText } from "../../syntax/ast.js";
import type { Rule, RuleContext } from "../context.js";
import { blockOf, memberOf, namesOf, taskEvaluation } from "./contractData.js";
import { nameAt, quoteList } from "./names.js";
import { splitUses } from "./runSplits.js";

/**
 * LV4059: an evaluated split the task cannot score. VQATask._report_metrics (lavis/tasks/vqa.py) computes accuracy
 * only for splits that have COCO-format question and annotation files, from run.ques_files/anno_files or from the
 * dataset's own storage list (COCOVQAEvalDataset: entries 3 and 4, `annotation_files` in stdlib/contracts.lv);
 * otherwise the metrics are empty, and for a validation split RunnerBase.train asserts "No agg_metrics found in
 * validation log" (also when only evaluating with train.py). Test splits (test-dev answers go to the evaluation
 * server) and datasets that declare no annotation_files are not judged. From LAVIS#476.
 */
export const vqaGroundTruthRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const gt = task ? taskEvaluation(ctx.registry, task)?.groundTruth : null;
  if (!task || !gt) return;
  const evaluate = ctx.at(["run", "evaluate"]);
  const training = !(evaluate?.kind === "scalar" && evaluate.value === true);
  // Test splits without public answers (test-dev) are written for the evaluation server: no accuracy is expected there.
  for (const use of splitUses(ctx).filter((u) => u.role === "valid")) {
    // Datasets that declare no annotation_files are unknown: their task code may find the files another way.
    if (!use.datasets.every((d) => blockOf(ctx.registry.builders.get(d), "annotation_files"))) continue;
    const missing = gt.members.flatMap((m) => {
      if (m.kind !== "Assignment") return [];
      const runKey = keyText(m.key);
      const role = namesOf(m.value)?.[0] ?? "";
      return hasRunFile(ctx, runKey, use.split) || use.datasets.some((d) => datasetHasFile(ctx, d, use.split, role)) ? [] : [{ runKey, role }];
    });
    if (!missing.length) continue;
    const node = ctx.at(["run", use.key]);
    const item = node?.kind === "list" ? node.items[use.index] : undefined;
    ctx.report(diag("LV4059", item && ctx.isUserValue(item) ? item.span : ctx.spanFor(["run", use.key]), {
      task, split: use.split, datasets: quoteList(use.datasets), files: missing.map((x) => x.role).join(" and "), keys: missing.map((x) => `run.${x.runKey}`).join(" / "),
      outcome: `${training ? "after epoch 0" : "after evaluating it"} LAVIS stops with \`AssertionError: No agg_metrics found in validation log.\``,
    }, {
      path: `run.${use.key}`,
      hint: `Name the split's COCO-format files in ${missing.map((x) => `run.${x.runKey}.${use.split}`).join(" and ")}, or evaluate a split whose dataset lists them.`,
    }));
  }
};

function hasRunFile(ctx: RuleContext, runKey: string, split: string): boolean {
  const v = toPlain(ctx.at(["run", runKey]));
  return !!v && typeof v === "object" && !Array.isArray(v) && (v as Record<string, unknown>)[split] != null;
}

function datasetHasFile(ctx: RuleContext, dataset: string, split: string, role: string): boolean {
  const files = blockOf(ctx.registry.builders.get(dataset), "annotation_files");
  const order = namesOf(memberOf(files, split)) ?? namesOf(memberOf(files, split === "train" ? "train" : "eval"));
  const at = order?.indexOf(role) ?? -1;
  if (at < 0) return false;
  const storage = toPlain(ctx.at(["datasets", dataset, "build_info", "annotations", split, "storage"]));
  return Array.isArray(storage) && storage.length > at;
}
