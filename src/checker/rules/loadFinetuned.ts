import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";

/** LV4009: `load_finetuned` needs `finetuned` weights to load. */
export const loadFinetunedRule: Rule = (ctx) => {
  const flag = ctx.at(["model", "load_finetuned"]);
  if (flag?.kind !== "scalar" || flag.value !== true) return;
  // Architectures none of whose model types has `finetuned` weights load their checkpoints another way.
  const arch = ctx.registry.archs.get(String(ctx.at(["model", "arch"])?.kind === "scalar" ? (ctx.at(["model", "arch"]) as { value: unknown }).value : ""));
  if (!arch || ![...arch.types.values()].some((t) => t.members.some((m) => m.kind === "Assignment" && m.key.segments[0]?.name === "finetuned"))) return;
  const weights = ctx.at(["model", "finetuned"]);
  // LAVIS asserts `finetuned` is not None; an empty string passes that assert (and fails later, when loading).
  if (weights?.kind === "scalar" && typeof weights.value === "string") return;
  ctx.report(diag("LV4009", ctx.spanFor(["model", "load_finetuned"]), {}, {
    path: "model.load_finetuned",
    related: weights?.span ? [{ span: weights.span, message: "`finetuned` is null here" }] : [],
    hint: "Set `finetuned` to a checkpoint path or URL, or set `load_finetuned = false`.",
  }));
};
