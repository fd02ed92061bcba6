import { diag } from "../../diagnostics/index.js";
import { usesOfDefaultFile } from "../../semantic/defaultFiles.js";
import type { Rule } from "../context.js";
import { checkName } from "./nameCheck.js";
import { scalar } from "../../semantic/configTree.js";

/**
 * LV2005 unknown dataset builder; LV2006 unknown dataset type of a known builder. In a dataset default file that no
 * builder loads, an unknown builder is LV2026 (a dead file, not a failing one).
 */
export const unknownBuilderRule: Rule = (ctx) => {
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind !== "map") return;
  const fragment = ctx.resolved.input.role === "dataset-defaults";
  const loaders = fragment ? usesOfDefaultFile(ctx.registry, ctx.resolved.input.file).filter((u) => u.kind === "builder") : [];
  for (const [name, cfg] of datasets.entries) {
    if (fragment && !ctx.registry.builders.has(name)) {
      const by = loaders[0];
      if (!by) ctx.report(diag("LV2026", cfg.keySpan ?? cfg.span, { name, kind: "dataset builder" }, { path: `datasets.${name}` }));
      // The builder that loads this file merges it under this key, next to its own: LAVIS then fails to build `name`.
      else ctx.report(diag("LV2005", cfg.keySpan ?? cfg.span, { name }, { path: `datasets.${name}`, hint: `This file is the default config of \`${by.entry.name}(${by.type})\`; LAVIS merges it under \`datasets.${name}\`, so a project using \`${by.entry.name}\` also gets a dataset \`${name}\` that no builder builds. Key it \`${by.entry.name}\`.` }));
      continue;
    }
    const nameNode = { ...scalar(name, "string", cfg.origin, cfg.keySpan ?? cfg.span, cfg.keySpan) };
    if (!checkName(ctx, ["datasets", name], nameNode, ctx.registry.builders.keys(), "LV2005", (n) => ({ name: n }))) continue;
    const builder = ctx.registry.builders.get(name)!;
    const typeNode = ctx.at(["datasets", name, "type"]);
    if (typeNode) checkName(ctx, ["datasets", name, "type"], typeNode, builder.types.keys(), "LV2006", (n) => ({ name: n, builder: name }));
  }
};
