import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";
import type { CNode } from "../../semantic/configTree.js";

const isStdlibDefault = (n: CNode | undefined): boolean => n?.origin.kind === "schema-default" || n?.origin.kind === "derived";

/**
 * LV5006: a text processor's word budget fits the model's text length. When both are the stdlib's defaults (LAVIS's
 * own code defaults, e.g. 50 words and BlipCaption's 40 tokens) there is nothing the experiment chose to compare.
 */
export const textLengthRule: GraphRule = (ctx) => {
  const model = ctx.nodesOf("model")[0];
  const tokens = (model?.attrs["hyperParameters"] as Record<string, unknown> | undefined)?.["max_txt_len"];
  if (typeof tokens !== "number") return;
  for (const p of ctx.nodesOf("processor")) {
    if (p.attrs["slot"] !== "text_processor") continue;
    const words = (p.attrs["params"] as Record<string, unknown>)["max_words"];
    if (typeof words !== "number" || words <= tokens) continue;
    const path = [...ctx.pathOf(p.from[0]!), "max_words"];
    if (isStdlibDefault(ctx.at(path)) && isStdlibDefault(ctx.at(["model", "max_txt_len"]))) continue;
    const modelSpan = ctx.spanFor(["model", "max_txt_len"]) ?? ctx.at(["model", "max_txt_len"])?.origin.span ?? null;
    ctx.report(diag("LV5006", ctx.spanFor(path), { processor: String(p.attrs["name"]), words, tokens }, {
      path: path.join("."),
      related: modelSpan ? [{ span: modelSpan, message: `model.max_txt_len is ${tokens} here` }] : [],
    }));
  }
};
