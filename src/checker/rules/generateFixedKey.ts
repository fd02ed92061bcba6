import { diag } from "../../diagnostics/index.js";
import { ignoredGenerationValues } from "../../semantic/facts.js";
import type { Rule } from "../context.js";
import { nameAt } from "./names.js";

/**
 * LV4093 (warning): the recipe sets a generation key the task passes but the arch's generate does not take (its
 * `generate_fixed` in stdlib/evaluation.lv): the model generates with its own value whatever the recipe says.
 * BlipCaption.generate takes no length_penalty or temperature (LAVIS#625).
 */
export const generateFixedKeyRule: Rule = (ctx) => {
  const arch = nameAt(ctx, ["model", "arch"]);
  for (const f of ignoredGenerationValues(ctx.resolved).values()) {
    const node = ctx.at(["run", f.key]);
    if (!node || !ctx.isUserValue(node)) continue;
    const value = node.kind === "scalar" ? String(node.value) : "set";
    ctx.report(diag("LV4093", node.keySpan ?? node.span, { key: f.key, value, arch: arch ?? "?", task: ctx.resolved.task?.name ?? "?", fixed: f.text }, {
      path: `run.${f.key}`,
      related: [{ span: f.declared, message: `${arch}'s generate takes no ${f.key}` }],
    }));
  }
};
