import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { entryName } from "./contractData.js";
import { nameAt } from "./names.js";

/**
 * LV4065: resuming a model whose checkpoints leave parameters out. RunnerBase._save_checkpoint drops parameters with
 * requires_grad False and _load_checkpoint loads strictly (lavis/runners/runner_base.py @eb3189b), so resume_ckpt_path
 * fails with "Missing key(s) in state_dict" for archs with frozen parameters (`frozen` in
 * stdlib/contracts_weights.lv). From LAVIS#153. lavisc's own runtime saves every tensor and resumes only its own
 * checkpoints (a `.json` with optimizer state: src/runtime/train/checkpointing.ts restoreTraining), so a run on the
 * tfjs engine resumes exactly; there the code is left out (`LAVIS_ENGINE_ONLY`): it is the command lavisc prints after
 * an interrupted run, and the hint's way round LAVIS's strict load would lose the optimizer state.
 */
export const resumeFrozenRule: Rule = (ctx) => {
  const resume = ctx.at(["run", "resume_ckpt_path"]);
  if (resume?.kind !== "scalar" || typeof resume.value !== "string" || resume.value === "") return;
  const evaluate = ctx.at(["run", "evaluate"]);
  if (evaluate?.kind === "scalar" && evaluate.value === true) return;
  const arch = nameAt(ctx, ["model", "arch"]);
  const entry = arch ? ctx.registry.archs.get(arch) : undefined;
  const always = entryName(entry, "frozen", "always");
  const when = entryName(entry, "frozen", "when");
  const flag = when ? ctx.at(["model", when]) : undefined;
  const frozen = always ?? (when && flag?.kind === "scalar" && flag.value === true ? `the parameters \`${when}\` freezes` : null);
  if (!arch || !frozen) return;
  ctx.report(diag("LV4065", ctx.spanFor(["run", "resume_ckpt_path"]), { arch, frozen }, { path: "run.resume_ckpt_path" }));
};

/** Codes about what fails only when LAVIS runs the experiment: left out when the tfjs engine runs it. */
export const LAVIS_ENGINE_ONLY: ReadonlySet<string> = new Set(["LV4065"]);
