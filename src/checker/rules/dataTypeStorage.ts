import { diag } from "../../diagnostics/index.js";
import { toPlain } from "../../semantic/configTree.js";
import type { Rule } from "../context.js";

/**
 * LV4063: a `data_type` without its storage. BaseDatasetBuilder reads `build_info.<data_type>.storage` for the media
 * (`_download_vis`, `build`), so a data_type with no such block fails with "'NoneType' object has no attribute
 * 'storage'" while the datasets are built. From LAVIS#651 (a hand-written config with `data_type: caption`).
 */
export const dataTypeStorageRule: Rule = (ctx) => {
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind !== "map") return;
  for (const [name, cfg] of datasets.entries) {
    if (cfg.kind !== "map") continue;
    const builder = ctx.registry.builders.get(name);
    if (builder && ctx.registry.metaString(builder, "prepare")) continue;
    const raw = toPlain(cfg.entries.get("data_type"));
    const types = (Array.isArray(raw) ? raw : [raw]).filter((t): t is string => typeof t === "string");
    const info = cfg.entries.get("build_info");
    if (info?.kind !== "map") continue;
    const media = ctx.registry.enums.get("DataType")?.values ?? [];
    // Builders such as LAION's keep their shards in build_info.storage, with no media block at all.
    if (![...info.entries.keys()].some((k) => media.includes(k))) continue;
    for (const t of types) {
      if (info.entries.has(t)) continue;
      ctx.report(diag("LV4063", ctx.spanFor(["datasets", name, "data_type"]), { dataset: name, type: t }, {
        path: `datasets.${name}.data_type`,
        hint: `Add \`build_info.${t}.storage\` (where the ${t} are), or set data_type to one of the media blocks it has: ${[...info.entries.keys()].filter((k) => k !== "annotations" && k !== "kwargs").map((k) => `\`${k}\``).join(", ") || "none"}.`,
      }));
    }
  }
};
