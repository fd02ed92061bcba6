import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { taskEvaluation, vqaInferenceMethods } from "./contractData.js";
import { nameAt, quoteList } from "./names.js";
import { evaluatesSomething } from "./runSplits.js";

/**
 * LV4067: an inference method the model does not implement. VQA-family tasks pass run.inference_method ("rank" by
 * default) to the model's predict_answers; an arch whose `vqa_inference` (stdlib/contracts.lv) lists only `generate`
 * ignores it and the answer list, so answers are generated freely instead of ranked (blip2_t5.py/blip2_opt.py
 * predict_answers; from LAVIS#230); one that lists only `rank` (albef_vqa.py) ranks whatever the method says.
 */
export const vqaInferenceRule: Rule = (ctx) => {
  const task = nameAt(ctx, ["run", "task"]);
  const arch = nameAt(ctx, ["model", "arch"]);
  if (!task || !arch || taskEvaluation(ctx.registry, task)?.calls !== "predict_answers" || !evaluatesSomething(ctx)) return;
  const methods = vqaInferenceMethods(ctx.registry, arch);
  const method = nameAt(ctx, ["run", "inference_method"]);
  if (!methods || !method || methods.includes(method)) return;
  const consequence = methods.includes("generate")
    ? "its predict_answers ignores the method and the answer list, so answers are generated freely"
    : "its predict_answers ignores the method and ranks the answer list";
  ctx.report(diag("LV4067", ctx.spanFor(["run", "inference_method"]), { method, arch, methods: quoteList(methods), consequence }, {
    path: "run.inference_method",
    hint: `Set inference_method to ${quoteList(methods)}${method === "rank" && !ctx.isUserValue(ctx.at(["run", "inference_method"])!) ? " (\"rank\" is the task's default)" : ""}.`,
  }));
};
