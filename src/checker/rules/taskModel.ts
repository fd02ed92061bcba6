import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { nameAt, quoteList } from "./names.js";

/** LV4003: the model's architecture must serve the task (per the stdlib's `tasks` of each arch, and a task's `archs`). */
export const taskModelRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const archName = nameAt(ctx, ["model", "arch"]);
  const arch = archName ? ctx.registry.archs.get(archName) : undefined;
  if (!task || !arch || !ctx.registry.tasks.has(task)) return;
  const tasks = ctx.registry.tasksOf(arch);
  if (!tasks || tasks.includes(task)) return;
  const able = [...ctx.registry.archs.values()].filter((a) => ctx.registry.tasksOf(a)?.includes(task)).map((a) => a.name);
  ctx.report(diag("LV4003", ctx.spanFor(["model", "arch"]), { task, arch: arch.name, capability: task }, {
    path: "model.arch",
    related: [{ span: ctx.spanFor(["run", "task"]) ?? arch.decl.name.span, message: `the task is \`${task}\`` }],
    hint: `\`${arch.name}\` serves ${tasks.length ? quoteList(tasks) : "no task on its own"}.${able.length ? ` Architectures for \`${task}\`: ${quoteList(able.slice(0, 8))}${able.length > 8 ? ", …" : ""}.` : ""}`,
  }));
};
