import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";

/** LV5006: a text processor's word budget fits the model's text length, where the model config declares max_txt_len. */
export const textLengthRule: GraphRule = (ctx) => {
  const model = ctx.nodesOf("model")[0];
  const tokens = (model?.attrs["hyperParameters"] as Record<string, unknown> | undefined)?.["max_txt_len"];
  if (typeof tokens !== "number") return;
  for (const p of ctx.nodesOf("processor")) {
    if (p.attrs["slot"] !== "text_processor") continue;
    const words = (p.attrs["params"] as Record<string, unknown>)["max_words"];
    if (typeof words !== "number" || words <= tokens) continue;
    const path = [...ctx.pathOf(p.from[0]!), "max_words"];
    const modelSpan = ctx.spanFor(["model", "max_txt_len"]) ?? ctx.at(["model", "max_txt_len"])?.origin.span ?? null;
    ctx.report(diag("LV5006", ctx.spanFor(path), { processor: String(p.attrs["name"]), words, tokens }, {
      path: path.join("."),
      related: modelSpan ? [{ span: modelSpan, message: `model.max_txt_len is ${tokens} here` }] : [],
    }));
  }
};
