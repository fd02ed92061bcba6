import { splitStats, type SplitStats } from "../../compiler/annotationStats.js";
import { taskFacts } from "../../semantic/facts.js";
import { toPlain } from "../../semantic/configTree.js";
import type { RuleContext } from "../context.js";

/**
 * The counts of a dataset's split from its local annotation files (check's byte scanner,
 * compiler/annotationRecords.ts; never downloaded), with the path of the `storage` key that names them; null when the
 * split names no file or a file is missing or not JSON.
 */
export function localSplitStats(ctx: RuleContext, dataset: string, split: string): { stats: SplitStats; path: string[] } | null {
  const path = ["datasets", dataset, "build_info", "annotations", split, "storage"];
  const storage = toPlain(ctx.at(path));
  const files = (Array.isArray(storage) ? storage : [storage]).filter((s): s is string => typeof s === "string");
  if (!files.length) return null;
  const builder = ctx.registry.builders.get(dataset);
  const prepare = builder ? ctx.registry.metaString(builder, "prepare") ?? undefined : undefined;
  const stats = splitStats({ splits: [{ split, annotations: files.map((f) => ({ storage: f })) }], prepare }, split, ctx.env);
  return stats ? { stats, path } : null;
}

/** How a dataset's records are read: the builder's declared format, else the task's; null when neither says. */
export function datasetFormat(ctx: RuleContext, dataset: string, task: string | null | undefined): string | null {
  const builder = ctx.registry.builders.get(dataset);
  const declared = builder ? ctx.registry.metaString(builder, "format") : null;
  return declared ?? (task ? taskFacts(ctx.registry, task).format : null) ?? null;
}
