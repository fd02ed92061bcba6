// A runner's facts as the compiler reads them from the stdlib (stdlib/training.lv), for runtime tests that build a
// RunSpec by hand: they name evaluations as `lavisc run` does, never from a copy.
import { loadStdlib } from "../../src/project/stdlib.js";
import { runnerEvaluationNames } from "../../src/semantic/facts.js";
import type { EvaluationNames } from "../../src/runtime/runSpec.js";

/** The runner's stdlib `evaluation_names` (RunSpec.evaluationNames). */
export function evaluationNamesOf(runner: string): EvaluationNames {
  const names = runnerEvaluationNames(loadStdlib().registry, runner);
  if (!names) throw new Error(`stdlib/training.lv declares no evaluation_names for ${runner}`);
  return names;
}
