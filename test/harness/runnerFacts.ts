// A runner's facts as the compiler reads them from the stdlib (stdlib/training.lv), for runtime tests that build a
// RunSpec or an AdamW by hand: they name evaluations and choose the parameters without weight decay as `lavisc run`
// does, never from a copy.
import { loadStdlib } from "../../src/project/stdlib.js";
import { runnerAdamW, runnerEvaluationNames } from "../../src/semantic/facts.js";
import type { EvaluationNames, NoDecayRule } from "../../src/runtime/runSpec.js";

/** The runner's stdlib `evaluation_names` (RunSpec.evaluationNames). */
export function evaluationNamesOf(runner: string): EvaluationNames {
  const names = runnerEvaluationNames(loadStdlib().registry, runner);
  if (!names) throw new Error(`stdlib/training.lv declares no evaluation_names for ${runner}`);
  return names;
}

/** The parameters RunnerBase trains without weight decay (its stdlib `adamw`: RunSpec.optimizer.noDecay). */
export function noDecayOf(runner = "runner_base"): NoDecayRule {
  const adamw = runnerAdamW(loadStdlib().registry, runner);
  if (!adamw) throw new Error(`stdlib/training.lv declares no complete adamw block for ${runner}`);
  return adamw.noDecay;
}
