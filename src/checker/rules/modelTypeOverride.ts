import { diag } from "../../diagnostics/index.js";
import { getPath } from "../../semantic/configTree.js";
import type { Rule } from "../context.js";

/**
 * LV4014 (warning): LAVIS picks default configs from the file alone, so an override of `model.model_type` or of a
 * dataset's `type` changes the value but not which defaults are loaded (reference §a, pitfalls 1 and 2).
 */
export const modelTypeOverrideRule: Rule = (ctx) => {
  const file = ctx.resolved.input.root;
  for (const o of ctx.resolved.overrides) {
    const key = o.path.join(".");
    const isModelType = key === "model.model_type";
    const isDatasetType = o.path.length === 3 && o.path[0] === "datasets" && o.path[2] === "type";
    if (!isModelType && !isDatasetType) continue;
    const v = o.node.kind === "scalar" ? String(o.node.value) : "";
    const fromFile = getPath(file, o.path);
    const original = fromFile?.kind === "scalar" ? String(fromFile.value) : isModelType ? "(none)" : "default";
    if (v === original) continue;
    ctx.report(diag("LV4014", o.node.span, { key, original: isModelType ? original : `${o.path[1]}(${original})` }, { path: key }));
  }
};
