import { diag } from "../../diagnostics/index.js";
import { codeDefaultDifferences } from "../../semantic/facts.js";
import { valueText } from "../../semantic/valueText.js";
import type { Rule } from "../context.js";

/**
 * LV4019: the experiment relies on a documented default that LAVIS's current code does not share (the stdlib's
 * `code_defaults { ... }`: captioning's generation lengths, the split lists, load_finetuned, ...). lavisc keeps the
 * documented value; the warning names both, at the key's path, so the choice is the user's.
 */
export const codeDefaultRule: Rule = (ctx) => {
  // A base or module that did not load (already an error) may set these keys.
  if (ctx.resolved.input.incomplete) return;
  for (const d of codeDefaultDifferences(ctx.resolved)) {
    const path = d.path.join(".");
    if (ctx.invalid.has(path)) continue;
    const where = d.documented.origin.span;
    ctx.report(diag("LV4019", ctx.spanFor(d.path), {
      path, documented: valueText(d.documented), code: valueText(d.code), key: d.path.at(-1)!,
      where: d.path[0] === "run" ? "in the `recipe` block (`run:` in YAML)" : "in the `model` block",
    }, {
      path,
      related: [
        ...(where ? [{ span: where, message: "the documented default" }] : []),
        { span: d.declared, message: "LAVIS's code default" },
      ],
    }));
  }
};
