import { diag } from "../../diagnostics/index.js";
import { toPlain } from "../../semantic/configTree.js";
import type { Rule } from "../context.js";

const list = (v: unknown): string[] | null => (typeof v === "string" ? [v] : Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : null);
const base = (p: string) => p.replace(/[?#].*$/, "").split("/").filter(Boolean).pop() ?? p;

/**
 * The `url` and `storage` lists of an annotation split go together position by position
 * (BaseDatasetBuilder._download_ann zips them). LV4057 (error): lists of different lengths, which LAVIS stops on with a
 * bare `assert len(urls) == len(storage_paths)`. LV4058 (warning): the same file names in another order, so each file
 * is stored under another file's name, and evaluation reads questions as annotations (LAVIS#59, where coco_vqa's val
 * split swapped them).
 */
export const annotationListsRule: Rule = (ctx) => {
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind !== "map") return;
  for (const [name, cfg] of datasets.entries) {
    const anns = cfg.kind === "map" ? cfg.entries.get("build_info") : undefined;
    const splits = anns?.kind === "map" ? anns.entries.get("annotations") : undefined;
    if (splits?.kind !== "map") continue;
    for (const [split, info] of splits.entries) {
      if (info.kind !== "map") continue;
      const urls = list(toPlain(info.entries.get("url")));
      const storage = list(toPlain(info.entries.get("storage")));
      if (!urls || !storage) continue;
      const path = ["datasets", name, "build_info", "annotations", split];
      if (urls.length !== storage.length) {
        ctx.report(diag("LV4057", ctx.spanFor([...path, "url"]), { dataset: name, split, urls: urls.length, storage: storage.length }, { path: `${path.join(".")}.url` }));
        continue;
      }
      const moved = urls.map(base).findIndex((b, i) => base(storage[i]!) !== b && storage.some((s, j) => j !== i && base(s) === b));
      if (moved < 0) continue;
      const to = storage.findIndex((s, j) => j !== moved && base(s) === base(urls[moved]!));
      ctx.report(diag("LV4058", ctx.spanFor([...path, "storage"]), {
        dataset: name, split, file: base(urls[moved]!), from: moved + 1, to: to + 1, other: base(storage[moved]!),
      }, { path: `${path.join(".")}.storage` }));
    }
  }
};
