import type { Rule } from "../context.js";
import { checkName } from "./nameCheck.js";

/** LV2003 unknown model architecture; LV2004 unknown model type of a known architecture (listing its types). */
export const unknownArchRule: Rule = (ctx) => {
  const archNode = ctx.at(["model", "arch"]);
  if (!checkName(ctx, ["model", "arch"], archNode, ctx.registry.archs.keys(), "LV2003", (name) => ({ name }))) return;
  if (archNode?.kind !== "scalar") return;
  const arch = ctx.registry.archs.get(String(archNode.value))!;
  const typeNode = ctx.at(["model", "model_type"]);
  if (arch.types.size === 0) return;
  checkName(ctx, ["model", "model_type"], typeNode, arch.types.keys(), "LV2004", (name) => ({ name, arch: arch.name }));
};
