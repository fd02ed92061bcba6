import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { nameAt, quoteList } from "./names.js";

/** LV4004: each dataset builder must serve the task (per the stdlib's `tasks` of each builder), unless the task takes any (`datasets = any`). */
export const taskDatasetRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const datasets = ctx.at(["datasets"]);
  const entry = task ? ctx.registry.tasks.get(task) : undefined;
  if (!task || !entry || datasets?.kind !== "map" || ctx.registry.metaNames(entry, "datasets")?.includes("any")) return;
  for (const [name, cfg] of datasets.entries) {
    const builder = ctx.registry.builders.get(name);
    const tasks = builder ? ctx.registry.metaNames(builder, "tasks") : null;
    if (!builder || !tasks || tasks.includes(task)) continue;
    ctx.report(diag("LV4004", cfg.keySpan ?? ctx.spanFor(["datasets", name]), { task, dataset: name }, {
      path: `datasets.${name}`,
      hint: `\`${name}\` serves ${tasks.length ? quoteList(tasks) : "no task"}.`,
    }));
  }
};
