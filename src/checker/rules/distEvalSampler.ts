import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { blockOf, taskEvaluation } from "./contractData.js";
import { nameAt } from "./names.js";
import { evaluatesSomething } from "./runSplits.js";

/**
 * LV4076: retrieval evaluated with LAVIS's distributed eval sampler. With several GPUs, RunnerBase keeps a
 * DistributedSampler on the evaluation splits unless run.use_dist_eval_sampler is false (its default is true,
 * runner_base.py @eb3189b), so each rank embeds only a shard; compute_sim_matrix of the archs whose stdlib entry says
 * `retrieval_evaluation { whole_split = true }` still sizes the score matrix for the whole split and adds the ranks'
 * matrices, so the scores come out wrong in silence (LAVIS#270: "the result is very bad"; LAVIS's own retrieval
 * configs set it false). lavisc's documented default is false for retrieval (stdlib/recipe.lv; LV4019 says where a
 * LAVIS file relies on it), so this fires where the experiment sets true. One GPU is unaffected; config files do not
 * say how many a launch uses, so this warns.
 */
export const distEvalSamplerRule: Rule = (ctx) => {
  const arch = nameAt(ctx, ["model", "arch"]);
  const task = nameAt(ctx, ["run", "task"]);
  if (!arch || !task || taskEvaluation(ctx.registry, task)?.calls !== "compute_sim_matrix") return;
  if (!blockOf(ctx.registry.archs.get(arch), "retrieval_evaluation") || !evaluatesSomething(ctx)) return;
  const distributed = ctx.at(["run", "distributed"]);
  const sampler = ctx.at(["run", "use_dist_eval_sampler"]);
  if (distributed?.kind === "scalar" && distributed.value === false) return;
  if (sampler?.kind === "scalar" && sampler.value === false) return;
  const written = !!sampler && ctx.isUserValue(sampler);
  ctx.report(diag("LV4076", written ? sampler.span ?? ctx.spanFor(["run", "use_dist_eval_sampler"]) : ctx.spanFor(["run"]), {
    arch, sampler: written ? "`use_dist_eval_sampler` is true" : "`use_dist_eval_sampler` is not set (LAVIS's default is true)",
  }, {
    path: "run.use_dist_eval_sampler",
    hint: "Set use_dist_eval_sampler: False, as LAVIS's own retrieval configs do (one GPU is unaffected).",
  }));
};
