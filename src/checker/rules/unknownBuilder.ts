import type { Rule } from "../context.js";
import { checkName } from "./nameCheck.js";
import { scalar } from "../../semantic/configTree.js";

/** LV2005 unknown dataset builder; LV2006 unknown dataset type of a known builder. */
export const unknownBuilderRule: Rule = (ctx) => {
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind !== "map") return;
  for (const [name, cfg] of datasets.entries) {
    const nameNode = { ...scalar(name, "string", cfg.origin, cfg.keySpan ?? cfg.span, cfg.keySpan) };
    if (!checkName(ctx, ["datasets", name], nameNode, ctx.registry.builders.keys(), "LV2005", (n) => ({ name: n }))) continue;
    const builder = ctx.registry.builders.get(name)!;
    const typeNode = ctx.at(["datasets", name, "type"]);
    if (typeNode) checkName(ctx, ["datasets", name, "type"], typeNode, builder.types.keys(), "LV2006", (n) => ({ name: n, builder: name }));
  }
};
