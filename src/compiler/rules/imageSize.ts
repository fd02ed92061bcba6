import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";

/** LV5005: images leave each vision processor at the size the model's patch embedding and position table expect. */
export const imageSizeRule: GraphRule = (ctx) => {
  const model = ctx.nodesOf("model")[0];
  const modelSize = (model?.attrs["hyperParameters"] as Record<string, unknown> | undefined)?.["image_size"];
  if (typeof modelSize !== "number") return;
  for (const p of ctx.nodesOf("processor")) {
    if (p.attrs["slot"] !== "vis_processor") continue;
    const size = (p.attrs["params"] as Record<string, unknown>)["image_size"];
    if (typeof size !== "number" || size === modelSize) continue;
    const path = [...ctx.pathOf(p.from[0]!), "image_size"];
    const modelPath = ["model", "image_size"];
    const modelSpan = ctx.spanFor(modelPath) ?? ctx.at(modelPath)?.origin.span ?? null;
    ctx.report(diag("LV5005", ctx.spanFor(path), { processor: String(p.attrs["name"]), size, modelSize }, {
      path: path.join("."),
      related: modelSpan ? [{ span: modelSpan, message: `model.image_size is ${modelSize} here` }] : [],
    }));
  }
};
