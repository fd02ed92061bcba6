import { diag } from "../../diagnostics/index.js";
import type { Rule, RuleContext } from "../context.js";
import { answerListSource, rankingWithoutAnswerList, vqaInferenceMethods } from "./contractData.js";
import { listOfNames, nameAt, quoteList } from "./names.js";
import { evaluatesSomething, splitUses } from "./runSplits.js";
import { lookedUpValidSplits } from "./validSplitLookup.js";

/**
 * LV4075: ranking answers with no answer list. A VQA-family task's valid_step passes predict_answers the answer list its
 * build_datasets took (stdlib `answer_list` of the task), and a model that ranks (`vqa_inference` lists rank: BlipVQA
 * when inference_method is "rank", the tasks' default; AlbefVQA always) stops at its first evaluation when that list is
 * None, with the arch's `without_answer_list` failure.
 * - `from = valid_splits` (vqa, aok_vqa): VQATask.build_datasets (vqa.py as of X-InstructBLIP, the version LAVIS's
 *   configs @506965b are written for; @7a08d0c it took the list from every split of every dataset) takes the list from
 *   the validation splits it looks up (`valid_split_lookup`), so with `valid_splits: []` it has none. The empty list is
 *   also what avoids LV4071 when a dataset lacks val (LAVIS#764), so that fix needs the other half too.
 * - `from = none` (gqa): the X-InstructBLIP GQATask.build_datasets never takes one, whatever the splits: a model that
 *   can generate must (inference_method "generate"), and one that only ranks cannot evaluate the task.
 */
export const rankAnswerListRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const arch = nameAt(ctx, ["model", "arch"]);
  const methods = arch ? vqaInferenceMethods(ctx.registry, arch) : null;
  // A model that only ranks (albef_vqa) ranks whatever inference_method says.
  if (!task || !arch || !methods?.includes("rank") || (methods.includes("generate") && nameAt(ctx, ["run", "inference_method"]) !== "rank")) return;
  if (!evaluatesSomething(ctx)) return;
  const source = answerListSource(ctx.registry, task);
  if (source === "valid_splits" && lookedUpValidSplits(ctx)?.length === 0) reportEmptyValidSplits(ctx, task, arch, methods);
  else if (source === "none") reportNoAnswerList(ctx, task, arch, methods);
};

type Methods = readonly string[];

function failure(ctx: RuleContext, arch: string): string {
  return rankingWithoutAnswerList(ctx.registry, arch) ?? "an error";
}

/** The evaluation that fails first: RunnerBase validates after each epoch (also in an evaluate-only run) and tests at the end. */
function firstEvaluation(ctx: RuleContext): string {
  const valid = splitUses(ctx).filter((u) => u.role === "valid").map((u) => u.split);
  if (valid.length) return `validating ${quoteList([...new Set(valid)])}`;
  const tests = listOfNames(ctx, ["run", "test_splits"])?.map((s) => s.name) ?? [];
  return tests.length ? `testing ${quoteList(tests)}` : "its first evaluation";
}

function reportEmptyValidSplits(ctx: RuleContext, task: string, arch: string, methods: Methods): void {
  ctx.report(diag("LV4075", ctx.spanFor(["run", "valid_splits"]), {
    task, arch, source: "takes from its validation splits, but `valid_splits` is empty", when: firstEvaluation(ctx), failure: failure(ctx, arch),
  }, {
    path: "run.valid_splits",
    hint: `Validate on a split whose annotations list an answer list (coco_vqa's val: its second storage entry)${methods.includes("generate") ? `, or set inference_method = "generate"` : `: \`${arch}\` ranks whatever inference_method says`}.`,
  }));
}

function reportNoAnswerList(ctx: RuleContext, task: string, arch: string, methods: Methods): void {
  const source = "passes it, but the task's build_datasets never takes one";
  const args = { task, arch, source, when: firstEvaluation(ctx), failure: failure(ctx, arch) };
  if (methods.includes("generate")) {
    const written = ctx.at(["run", "inference_method"]);
    const byDefault = !written || !ctx.isUserValue(written);
    ctx.report(diag("LV4075", ctx.spanFor(["run", "inference_method"]), args, {
      path: "run.inference_method",
      hint: `Set inference_method to "generate"${byDefault ? ` ("rank" is the task's default)` : ""}: \`${arch}\` then generates its answers, which needs no answer list.`,
    }));
    return;
  }
  // Those for the task that are not known to only rank (the BLIP-2 archs declare no `vqa_inference`; they generate).
  const generating = [...ctx.registry.archs.values()]
    .filter((a) => ctx.registry.tasksOf(a)?.includes(task) && (vqaInferenceMethods(ctx.registry, a.name)?.includes("generate") ?? true))
    .map((a) => a.name);
  const taskSpan = ctx.spanFor(["run", "task"]);
  ctx.report(diag("LV4075", ctx.spanFor(["model", "arch"]), args, {
    path: "model.arch",
    related: taskSpan ? [{ span: taskSpan, message: `the task is \`${task}\`` }] : [],
    hint: `\`${arch}\` ranks whatever inference_method says. Evaluate \`${task}\` with an architecture that generates its answers${generating.length ? ` (of those for \`${task}\`: ${quoteList(generating.slice(0, 8))}${generating.length > 8 ? ", …" : ""})` : ""}, or train \`${arch}\` without validation and test splits (training calls only forward).`,
  }));
}
