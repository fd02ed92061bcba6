import { diag, type RelatedInfo } from "../../diagnostics/index.js";
import type { Rule, RuleContext } from "../context.js";
import { entryName, taskEvaluation } from "./contractData.js";
import { nameAt, numberAt } from "./names.js";

/** True when the task's evaluation generates text (captioning; VQA-family tasks with inference_method "generate"). */
function generatesText(ctx: RuleContext, task: string): boolean {
  const calls = taskEvaluation(ctx.registry, task)?.calls;
  return calls === "generate" || (calls === "predict_answers" && nameAt(ctx, ["run", "inference_method"]) === "generate");
}

/**
 * LV4052: generation far longer than any training text. The model saw targets of at most the arch's target length
 * (`generation.target_length` in stdlib/contracts.lv: max_txt_len, or max_output_txt_len for instruction models) and
 * at most the training text processor's max_words words; a max_len more than twice the smaller of the two asks for
 * text the model never learned to end. The warning names all three. From LAVIS#45 and LAVIS#150.
 */
export const generationLengthRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const arch = nameAt(ctx, ["model", "arch"]);
  const maxLen = numberAt(ctx, ["run", "max_len"]);
  if (!task || !arch || maxLen === null || !generatesText(ctx, task)) return;
  const limits: { text: string; value: number; span: RelatedInfo | null }[] = [];
  const key = entryName(ctx.registry.archs.get(arch), "generation", "target_length");
  const target = key ? numberAt(ctx, ["model", key]) : null;
  if (key && target !== null) limits.push({ text: `model.${key} = ${target} tokens`, value: target, span: related(ctx, ["model", key], `model.${key} is ${target}`) });
  const datasets = ctx.at(["datasets"]);
  for (const name of datasets?.kind === "map" ? datasets.entries.keys() : []) {
    const path = ["datasets", name, "text_processor", "train", "max_words"];
    const words = numberAt(ctx, path);
    if (words !== null) limits.push({ text: `max_words = ${words} in ${path.slice(0, -1).join(".")}`, value: words, span: related(ctx, path, `max_words is ${words}`) });
  }
  if (!limits.length) return;
  const smallest = Math.min(...limits.map((l) => l.value));
  if (maxLen <= 2 * smallest) return;
  const named = [...limits.map((l) => l.text)];
  if (!key) named.unshift("the model's text length (not declared for this architecture)");
  else if (target === null) named.unshift(`model.${key} (not set: the architecture's code default applies)`);
  if (!limits.some((l) => l.text.startsWith("max_words"))) named.push("no training text processor sets max_words");
  ctx.report(diag("LV4052", ctx.spanFor(["run", "max_len"]), { maxLen, limits: named.join(", ") }, {
    path: "run.max_len",
    related: limits.flatMap((l) => (l.span ? [l.span] : [])),
  }));
};

function related(ctx: RuleContext, path: readonly string[], message: string): RelatedInfo | null {
  const n = ctx.at(path);
  const span = n?.span ?? n?.origin.span ?? null;
  return span ? { span, message } : null;
}
