import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";

/** LV2024 (warning): a YAML file given to lavisc that has none of LAVIS's sections (a conda environment, a workflow). */
export const notLavisConfigRule: Rule = (ctx) => {
  const first = [...ctx.resolved.input.root.entries.values()][0];
  ctx.report(diag("LV2024", first?.keySpan ?? null));
};
