import { diag } from "../../diagnostics/index.js";
import type { TypeClause } from "../../syntax/ast.js";
import type { Rule } from "../context.js";
import { nameAt } from "./names.js";

/**
 * LV4062: fine-tuning from pre-trained weights with no pre-trained weights named. BaseModel.load_checkpoint_from_config
 * (lavis/models/base_model.py) asserts a non-empty string instead of the path ("Found load_finetuned is False, but
 * pretrain_path is None." always holds), then calls load_from_pretrained(None), which fails with "checkpoint url or
 * path is invalid" once the model is built. From LAVIS PR #467.
 */
export const pretrainedMissingRule: Rule = (ctx) => {
  const flag = (k: string) => {
    const n = ctx.at(["model", k]);
    return n?.kind === "scalar" ? n.value : undefined;
  };
  if (flag("load_finetuned") !== false || flag("load_pretrained") !== true) return;
  const weights = ctx.at(["model", "pretrained"]);
  if (weights?.kind === "scalar" && typeof weights.value === "string" && weights.value !== "") return;
  if (weights && weights.kind !== "scalar") return;
  // Archs none of whose model types name pre-trained weights build from other sources (gpt_dialogue loads GPT-2 by name).
  const arch = ctx.registry.archs.get(nameAt(ctx, ["model", "arch"]) ?? "");
  const namesWeights = (t: TypeClause) =>
    t.members.some((m) => m.kind === "Assignment" && m.key.segments[0]?.name === "pretrained" && m.value.kind === "StringLit" && m.value.value !== "");
  if (!arch || ![...arch.types.values()].some(namesWeights)) return;
  // An unknown model type (LV2004) has no default weights to miss.
  if (!arch.types.has(nameAt(ctx, ["model", "model_type"]) ?? "")) return;
  ctx.report(diag("LV4062", ctx.spanFor(["model", "load_finetuned"]), {}, {
    path: "model.pretrained",
    related: weights?.span ? [{ span: weights.span, message: "`pretrained` is empty here" }] : [],
  }));
};
