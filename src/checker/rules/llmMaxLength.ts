import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { entryName, taskEvaluation } from "./contractData.js";
import { nameAt, numberAt } from "./names.js";

/**
 * LV4060: a generation length the query tokens use up. Archs whose `generate` hands max_len to the language model as
 * `max_length` together with the Q-Former's query embeddings (`generation.max_len_includes` in stdlib/contracts.lv:
 * blip2_opt.py @57bee8d) count those embeddings and the prompt against it; with max_len at or below num_query_token,
 * recent transformers versions refuse ("max_length is set to -6") or generate nothing. From LAVIS#707.
 */
export const llmMaxLengthRule: Rule = (ctx) => {
  const arch = nameAt(ctx, ["model", "arch"]);
  const task = nameAt(ctx, ["run", "task"]);
  if (!arch || !task || taskEvaluation(ctx.registry, task)?.calls !== "generate") return;
  const key = entryName(ctx.registry.archs.get(arch), "generation", "max_len_includes");
  const maxLen = numberAt(ctx, ["run", "max_len"]);
  const queries = key ? numberAt(ctx, ["model", key]) : null;
  if (!key || maxLen === null || queries === null || maxLen > queries) return;
  const q = ctx.at(["model", key]);
  const span = q?.span ?? q?.origin.span ?? null;
  ctx.report(diag("LV4060", ctx.spanFor(["run", "max_len"]), { arch, maxLen, key, queries }, {
    path: "run.max_len",
    related: span ? [{ span, message: `model.${key} is ${queries}` }] : [],
    hint: `Set max_len above ${queries} plus the prompt's tokens (for example ${queries + 10}).`,
  }));
};
