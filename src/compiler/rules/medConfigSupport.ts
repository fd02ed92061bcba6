import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";

/** The med config keys the tfjs engine's BERT (runtime/nn/bertEncoder.ts, decoder.ts) builds one way only. */
const BUILT = [
  { key: "hidden_act", value: "gelu", code: "LV3029" },
  { key: "position_embedding_type", value: "absolute", code: "LV3030" },
] as const;

/**
 * LV3029 / LV3030: a med config (`model.med_config_path`) whose hidden_act or position_embedding_type the tfjs engine
 * cannot build is reported at the path, never replaced by another (LAVIS's med.py reads both: ACT2FN[hidden_act],
 * BertSelfAttention's relative_key distance embeddings). Only for archs whose text side lavisc builds from the med
 * config (stdlib/encoders.lv BlipEncoders, which reads `text_initializer_range` from it). `check` warns, since LAVIS
 * may run it; `plan` and `run` refuse it.
 */
export const medConfigSupportRule: GraphRule = (ctx) => {
  if (ctx.at(["model", "text_initializer_range"]) === undefined) return;
  const path = ["model", "med_config_path"];
  for (const { key, value, code } of BUILT) {
    const node = ctx.resolved.fact(["lavisc", "med_config", key]);
    if (node?.kind !== "scalar" || node.value === value) continue;
    ctx.report(diag(code, ctx.spanFor(path) ?? node.origin.span, { value: String(node.value) }, {
      path: path.join("."),
      ...(ctx.engine === "any" ? { severity: "warning" as const } : {}),
    }));
  }
};
