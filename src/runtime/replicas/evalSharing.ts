// Who evaluates what with data-parallel replicas: which tasks shard their valid/test splits across the ranks
// (run.use_dist_eval_sampler), and the line `lavisc plan` and the run's log print about it.
import type { RunSpec } from "../runSpec.js";

/**
 * Tasks whose evaluation is sharded across replicas (every model evaluating them merges through EvalContext.merge);
 * the others are evaluated by rank 0 alone.
 */
export const SHARDED_EVAL_TASKS: readonly string[] = ["multimodal_classification", "captioning", "vqa", "feature_extraction"];

/** One line on who evaluates what with `world` replicas (plan and the run's log say the same). */
export function evalSharing(spec: Pick<RunSpec, "task" | "useDistEvalSampler">, world: number): string {
  if (spec.task === "retrieval") {
    const sampler = spec.useDistEvalSampler === false ? "" : "; LAVIS's compute_sim_matrix expects run.use_dist_eval_sampler = false (with true its ranks would embed only their shard), lavisc embeds the whole split either way";
    return `evaluation: every rank embeds the whole split and re-ranks 1/${world} of the ITM rows (LAVIS's compute_sim_matrix), rank 0 merges the score matrices and computes the metrics${sampler}`;
  }
  if (spec.useDistEvalSampler === false) return "evaluation: rank 0 evaluates each split alone (run.use_dist_eval_sampler = false); the other ranks wait";
  if (!SHARDED_EVAL_TASKS.includes(spec.task)) return `evaluation: rank 0 evaluates each split alone (task ${spec.task}'s evaluation is not sharded yet); the other ranks wait`;
  return `evaluation: each rank evaluates 1/${world} of each valid/test split (run.use_dist_eval_sampler, a DistributedSampler without padding), rank 0 merges the results in the split's order and computes the metrics`;
}
