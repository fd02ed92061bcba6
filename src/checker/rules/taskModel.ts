import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { taskEvaluation } from "./contractData.js";
import { nameAt, quoteList } from "./names.js";
import { evaluatesSomething } from "./runSplits.js";

/**
 * LV4003: a task restricts the model only where it evaluates: its valid_step calls a method of the model (generate,
 * predict_answers, compute_sim_matrix, ...) that not every architecture has. Training calls only `forward`
 * (BaseTask.train_step), so a run that evaluates nothing, or a task that never evaluates (image_text_pretrain), may use
 * any architecture; what the model reads from the data is the data contract's concern (sampleContract). Which archs
 * evaluate a task comes from the stdlib's `tasks` of each arch and a task's `archs`.
 */
export const taskModelRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const archName = nameAt(ctx, ["model", "arch"]);
  const arch = archName ? ctx.registry.archs.get(archName) : undefined;
  if (!task || !arch || !ctx.registry.tasks.has(task)) return;
  if (taskEvaluation(ctx.registry, task)?.calls === "none" || !evaluatesSomething(ctx)) return;
  const tasks = ctx.registry.tasksOf(arch);
  if (!tasks || tasks.includes(task)) return;
  const able = [...ctx.registry.archs.values()].filter((a) => ctx.registry.tasksOf(a)?.includes(task)).map((a) => a.name);
  const calls = taskEvaluation(ctx.registry, task)?.calls;
  ctx.report(diag("LV4003", ctx.spanFor(["model", "arch"]), { task, arch: arch.name, capability: `evaluation by \`${task}\`${calls ? ` (model.${calls})` : ""}` }, {
    path: "model.arch",
    related: [{ span: ctx.spanFor(["run", "task"]) ?? arch.decl.name.span, message: `the task is \`${task}\`` }],
    hint: `\`${arch.name}\` serves ${tasks.length ? quoteList(tasks) : "no task on its own"}.${able.length ? ` Architectures for \`${task}\`: ${quoteList(able.slice(0, 8))}${able.length > 8 ? ", …" : ""}.` : ""} Training alone calls only the model's forward: without validation and test splits any architecture trains.`,
  }));
};
