import { diag } from "../../diagnostics/index.js";
import { usesOfDefaultFile } from "../../semantic/defaultFiles.js";
import type { Rule } from "../context.js";
import { checkName } from "./nameCheck.js";

/**
 * LV2003 unknown model architecture; LV2004 unknown model type of a known architecture (listing its types). In a model
 * default file that no arch loads, an unknown arch is LV2026: nothing loads the file, so nothing fails, but it is dead.
 */
export const unknownArchRule: Rule = (ctx) => {
  const archNode = ctx.at(["model", "arch"]);
  const name = archNode?.kind === "scalar" ? String(archNode.value) : null;
  if (ctx.resolved.input.role === "model-defaults" && name !== null && !ctx.registry.archs.has(name)) {
    if (!usesOfDefaultFile(ctx.registry, ctx.resolved.input.file).some((u) => u.kind === "arch")) {
      ctx.report(diag("LV2026", ctx.spanFor(["model", "arch"]), { name, kind: "model architecture" }, { path: "model.arch" }));
      return;
    }
  }
  if (!checkName(ctx, ["model", "arch"], archNode, ctx.registry.archs.keys(), "LV2003", (n) => ({ name: n }))) return;
  // A value that is not a name (null, a number) is the type check's to report, and has no model types to check.
  const arch = archNode?.kind === "scalar" && typeof archNode.value === "string" ? ctx.registry.archs.get(archNode.value) : undefined;
  if (!arch || arch.types.size === 0) return;
  const typeNode = ctx.at(["model", "model_type"]);
  checkName(ctx, ["model", "model_type"], typeNode, arch.types.keys(), "LV2004", (n) => ({ name: n, arch: arch.name }));
};
