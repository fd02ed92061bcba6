import { diag } from "../../diagnostics/index.js";
import { forEachLeaf, type CNode } from "../../semantic/configTree.js";
import type { Rule, RuleContext } from "../context.js";
import { splitUses, type SplitUse } from "./runSplits.js";

/**
 * LV4078 (warning): a dataset to which the experiment gives annotations of its own (a `url` of its own) for some
 * splits, while splits the run evaluates still read the builder's default annotations (LAVIS#720: fine-tuned on one's
 * own training file and scored on COCO's test set without noticing). Config.build_dataset_config merges the project's dataset section into
 * the builder's default config with OmegaConf, key by key, so the default's other splits stay listed, and the builder
 * builds every split listed. One warning per dataset, naming every such split.
 */
export const mixedAnnotationsRule: Rule = (ctx) => {
  const byDataset = new Map<string, SplitUse[]>();
  for (const use of splitUses(ctx).filter((u) => u.role !== "train")) {
    for (const dataset of use.datasets) byDataset.set(dataset, [...(byDataset.get(dataset) ?? []), use]);
  }
  byDataset.forEach((uses, dataset) => {
    const annotations = ctx.at(["datasets", dataset, "build_info", "annotations"]);
    if (annotations?.kind !== "map") return;
    const own = [...annotations.entries].filter(([, n]) => ownData(ctx, n)).map(([split]) => split);
    const fromDefault = uses.filter((u, i) => {
      const node = annotations.entries.get(u.split);
      return node && !written(ctx, node) && uses.findIndex((v) => v.split === u.split) === i;
    });
    if (own.length === 0 || fromDefault.length === 0) return;
    const names = fromDefault.map((u) => `\`${u.split}\``);
    const splits = `split${names.length > 1 ? "s" : ""} ${names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0]}`;
    const path = ["datasets", dataset, "build_info", "annotations", own[0]!];
    ctx.report(diag("LV4078", ctx.at(path)?.keySpan ?? ctx.spanFor(path), {
      dataset, own: own.map((s) => `\`${s}\``).join(", "), splits, read: names.length > 1 ? "read" : "reads", them: names.length > 1 ? "them" : "it",
    }, {
      path: `datasets.${dataset}.build_info.annotations`,
      related: fromDefault.flatMap((u) => listItemSpan(ctx, u.key, u.index)),
    }));
  });
};

/**
 * A split whose data is the user's: they wrote its `url` (where LAVIS fetches or copies it from), or it has none and
 * they wrote the rest. A split whose `storage` alone they changed is the default's data in another place.
 */
function ownData(ctx: RuleContext, split: CNode): boolean {
  const url = split.kind === "map" ? split.entries.get("url") : undefined;
  return url ? written(ctx, url) : written(ctx, split);
}

/** True when the user wrote the node or something under it. */
function written(ctx: RuleContext, node: CNode): boolean {
  if (ctx.isUserValue(node)) return true;
  let found = false;
  forEachLeaf(node, (_, leaf) => {
    found ||= ctx.isUserValue(leaf);
  });
  return found;
}

function listItemSpan(ctx: RuleContext, key: string, index: number) {
  const list = ctx.at(["run", key]);
  const item = list?.kind === "list" ? list.items[index] : undefined;
  return item?.span && ctx.isUserValue(item) ? [{ span: item.span, message: `evaluated here (run.${key})` }] : [];
}
