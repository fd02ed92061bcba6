import { diag } from "../../diagnostics/index.js";
import { SCHEMAS } from "../../semantic/resolve.js";
import type { Rule } from "../context.js";

/** LV2021 (warning): top-level sections LAVIS drops (any but those `schema Project` declares; a project's own `preprocess`). */
export const ignoredSectionRule: Rule = (ctx) => {
  const sections = ctx.registry.schemas.get(SCHEMAS.project)?.fields;
  for (const [key, node] of ctx.resolved.input.root.entries) {
    if (sections ? sections.has(key) : key === "model" || key === "datasets" || key === "run") continue;
    ctx.report(diag("LV2021", node.keySpan ?? node.span, { key }, { path: key }));
  }
};
