import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";

/** LV2021 (warning): top-level sections LAVIS drops (anything but model, datasets, run; a project's own `preprocess`). */
export const ignoredSectionRule: Rule = (ctx) => {
  for (const [key, node] of ctx.resolved.input.root.entries) {
    if (key === "model" || key === "datasets" || key === "run") continue;
    ctx.report(diag("LV2021", node.keySpan ?? node.span, { key }, { path: key }));
  }
};
