import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { vqaInferenceMethods } from "./contractData.js";
import { listOfNames, nameAt, quoteList } from "./names.js";
import { evaluatesSomething } from "./runSplits.js";
import { lookedUpValidSplits } from "./validSplitLookup.js";

/**
 * LV4075: ranking answers with no answer list. VQATask.build_datasets (vqa.py as of X-InstructBLIP, the version
 * LAVIS's configs @506965b are written for; @7a08d0c it took the list from every split of every dataset) takes the
 * answer list from the validation splits it looks up (`valid_split_lookup`), so with `valid_splits: []` it has none, and a model that
 * ranks when asked (`vqa_inference` lists rank: BlipVQA.predict_answers) stops at its first evaluation with
 * `AssertionError: answer_list must be provided for ranking` (AlbefVQA, which always ranks, with a TypeError from its
 * tokenizer). The empty list is also what avoids LV4071 when a dataset lacks val (LAVIS#764), so that fix needs the
 * other half too.
 * Task gqa: its X-InstructBLIP GQATask never takes an answer list, but no arch that ranks serves gqa, so LV4003 refuses first.
 */
export const rankAnswerListRule: Rule = (ctx) => {
  const arch = nameAt(ctx, ["model", "arch"]);
  const methods = arch ? vqaInferenceMethods(ctx.registry, arch) : null;
  // A model that only ranks (albef_vqa) ranks whatever inference_method says.
  if (!methods?.includes("rank") || (methods.includes("generate") && nameAt(ctx, ["run", "inference_method"]) !== "rank")) return;
  if (lookedUpValidSplits(ctx)?.length !== 0 || !evaluatesSomething(ctx)) return;
  const tests = listOfNames(ctx, ["run", "test_splits"])?.map((s) => s.name) ?? [];
  ctx.report(diag("LV4075", ctx.spanFor(["run", "valid_splits"]), {
    task: nameAt(ctx, ["run", "task"])!, arch: arch!, when: tests.length ? `testing ${quoteList(tests)}` : "its first evaluation",
    failure: methods.includes("generate") ? "`AssertionError: answer_list must be provided for ranking`" : "an error from its tokenizer, which is handed no answer list",
  }, {
    path: "run.valid_splits",
    hint: `Validate on a split whose annotations list an answer list (coco_vqa's val: its second storage entry), or set inference_method = "generate"${methods.includes("generate") ? "" : ` (if ${arch} supports it)`}.`,
  }));
};
