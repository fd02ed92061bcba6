import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import type { TypeClause } from "../../syntax/ast.js";

/** LV4009: `load_finetuned` needs `finetuned` weights to load. */
export const loadFinetunedRule: Rule = (ctx) => {
  const flag = ctx.at(["model", "load_finetuned"]);
  if (flag?.kind !== "scalar" || flag.value !== true) return;
  // Architectures none of whose model types names real `finetuned` weights load their checkpoints another way.
  const archNode = ctx.at(["model", "arch"]);
  const arch = archNode?.kind === "scalar" ? ctx.registry.archs.get(String(archNode.value)) : undefined;
  const namesWeights = (t: TypeClause) =>
    t.members.some((m) => m.kind === "Assignment" && m.key.segments[0]?.name === "finetuned" && m.value.kind === "StringLit" && m.value.value !== "");
  if (!arch || ![...arch.types.values()].some(namesWeights)) return;
  const weights = ctx.at(["model", "finetuned"]);
  // LAVIS asserts `finetuned` is not None; an empty string passes that assert (and fails later, when loading).
  if (weights?.kind === "scalar" && typeof weights.value === "string") return;
  ctx.report(diag("LV4009", ctx.spanFor(["model", "load_finetuned"]), {}, {
    path: "model.load_finetuned",
    related: weights?.span ? [{ span: weights.span, message: "`finetuned` is null here" }] : [],
    hint: "Set `finetuned` to a checkpoint path or URL, or set `load_finetuned = false`.",
  }));
};
