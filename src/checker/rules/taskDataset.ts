import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { taskEvaluation } from "./contractData.js";
import { nameAt, quoteList } from "./names.js";
import { splitUses } from "./runSplits.js";

/**
 * LV4004: each dataset the task evaluates must serve the task (per the stdlib's `tasks` of each builder), unless the
 * task takes any (`datasets = any`). As with LV4003, LAVIS restricts nothing in training (the model's forward reads
 * the batch: the data contract's concern), so only datasets that provide a split the run validates or tests on are
 * judged, and tasks that never evaluate (image_text_pretrain) take any dataset.
 */
export const taskDatasetRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const datasets = ctx.at(["datasets"]);
  const entry = task ? ctx.registry.tasks.get(task) : undefined;
  if (!task || !entry || datasets?.kind !== "map" || ctx.registry.metaNames(entry, "datasets")?.includes("any")) return;
  if (taskEvaluation(ctx.registry, task)?.calls === "none") return;
  const evaluated = new Set(splitUses(ctx).filter((u) => u.role !== "train").flatMap((u) => u.datasets));
  for (const [name, cfg] of datasets.entries) {
    const builder = ctx.registry.builders.get(name);
    const tasks = builder ? ctx.registry.metaNames(builder, "tasks") : null;
    if (!builder || !tasks || tasks.includes(task) || !evaluated.has(name)) continue;
    ctx.report(diag("LV4004", cfg.keySpan ?? ctx.spanFor(["datasets", name]), { task, dataset: name }, {
      path: `datasets.${name}`,
      hint: `\`${name}\` serves ${tasks.length ? quoteList(tasks) : "no task"}.`,
    }));
  }
};
