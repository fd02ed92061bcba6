import { diag } from "../../diagnostics/index.js";
import type { Rule, RuleContext } from "../context.js";
import { blockOf, keysOf, memberOf } from "./contractData.js";
import { nameAt } from "./names.js";

/**
 * LV4010 (warning): a recipe key that only some task, scheduler or runner reads, set where none of the chosen ones
 * does; or a key the chosen one declares it never reads (its `ignores { key = "what it uses instead" }` block:
 * runner_iter's max_epoch).
 */
export const ignoredKeyRule: Rule = (ctx) => {
  const run = ctx.at(["run"]);
  if (run?.kind !== "map") return;
  const { specific, relevant, readers } = ctx.resolved.recipeRelevance;
  if (!ctx.resolved.task) return; // with an unknown task, which keys it reads is unknown too
  const chosen = chosenEntries(ctx);
  run.entries.forEach((node, key) => {
    if (!specific.has(key) || relevant.has(key) || !ctx.isUserValue(node)) return;
    // Name the chosen entries of the kinds that read this key: "ignored by task `retrieval`".
    const kinds = new Set((readers.get(key) ?? []).map((r) => r.split(" ")[0]!));
    const by = [...kinds].map((k) => `${k} \`${chosen[k] ?? "?"}\``).join(" and ");
    ctx.report(diag("LV4010", node.keySpan ?? node.span, { key, by }, {
      path: `run.${key}`,
      hint: `It is read by ${(readers.get(key) ?? []).slice(0, 4).join(", ")}${(readers.get(key)?.length ?? 0) > 4 ? ", …" : ""}. Remove it, or check the task.`,
    }));
  });
  for (const [kind, name] of Object.entries(chosen)) {
    const ignores = blockOf(ctx.registry.entries[kind as "task" | "scheduler" | "runner"].get(name), "ignores");
    for (const key of keysOf(ignores)) {
      const node = run.entries.get(key);
      const instead = memberOf(ignores, key);
      if (!node || !ctx.isUserValue(node)) continue;
      ctx.report(diag("LV4010", node.keySpan ?? node.span, { key, by: `${kind} \`${name}\`` }, {
        path: `run.${key}`,
        hint: instead?.kind === "StringLit" ? `${instead.value}.` : "Remove it.",
      }));
    }
  }
};

/** The task, lr scheduler and runner the experiment chose (LAVIS's defaults where it names none). */
function chosenEntries(ctx: RuleContext): Record<string, string> {
  const task = nameAt(ctx, ["run", "task"]);
  return {
    ...(task ? { task } : {}),
    scheduler: nameAt(ctx, ["run", "lr_sched"]) ?? "linear_warmup_cosine_lr",
    runner: nameAt(ctx, ["run", "runner"]) ?? "runner_base",
  };
}
