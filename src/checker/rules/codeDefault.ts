import { diag } from "../../diagnostics/index.js";
import { codeDefaultDifferences } from "../../semantic/facts.js";
import { absentReading } from "../../semantic/codeFallbacks.js";
import { valueText } from "../../semantic/valueText.js";
import type { Rule } from "../context.js";

/**
 * LV4019: the experiment relies on a documented default that LAVIS's current code does not share (the stdlib's
 * `code_defaults { ... }`: captioning's generation lengths, the split lists, load_finetuned, ...). A `.lv` keeps the
 * documented value, a LAVIS YAML LAVIS's (semantic/codeFallbacks.ts); the warning names both, at the key's path, so
 * the choice is the user's.
 */
export const codeDefaultRule: Rule = (ctx) => {
  // A base or module that did not load (already an error) may set these keys.
  if (ctx.resolved.input.incomplete) return;
  for (const d of codeDefaultDifferences(ctx.resolved)) {
    const path = d.path.join(".");
    if (ctx.invalid.has(path)) continue;
    const where = d.documented.origin.span;
    const documented = valueText(d.documented), code = valueText(d.code), reading = absentReading(ctx.resolved, d.path);
    ctx.report(diag("LV4019", ctx.spanFor(d.path), {
      path, key: d.path.at(-1)!,
      ...(d.taken === "documented"
        ? { value: documented, whose: "lavisc's documented default", other: `LAVIS's current code falls back to ${code}${reading ? ` (${reading})` : ""}` }
        : { value: code, whose: "LAVIS's code fallback, as the YAML leaves it out", other: `the documented default (lavisc's, in a .lv) is ${documented}` }),
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
