import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";

/** LV4016: an annotation split whose `url` is null (LAVIS calls len(url) while preparing the dataset). */
export const annotationUrlRule: Rule = (ctx) => {
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind !== "map") return;
  for (const [name, cfg] of datasets.entries) {
    // lavisc's built-in datasets are generated locally (`prepare = ...`): nothing to download.
    const builder = ctx.registry.builders.get(name);
    if (builder && ctx.registry.metaString(builder, "prepare")) continue;
    const ann = cfg.kind === "map" ? ctx.at(["datasets", name, "build_info", "annotations"]) : undefined;
    if (ann?.kind !== "map") continue;
    for (const [split, entry] of ann.entries) {
      if (entry.kind !== "map" || !entry.entries.has("storage")) continue;
      const url = entry.entries.get("url");
      if (url && !(url.kind === "scalar" && url.type === "null")) continue;
      ctx.report(diag("LV4016", (url ?? entry).span ?? entry.keySpan ?? ctx.spanFor(["datasets", name]), { split, dataset: name }, { path: `datasets.${name}.build_info.annotations.${split}.url` }));
    }
  }
};
