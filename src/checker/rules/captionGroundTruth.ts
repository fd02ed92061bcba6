import { diag } from "../../diagnostics/index.js";
import { datasetSplits } from "../../semantic/resolve.js";
import type { Rule, RuleContext } from "../context.js";
import { listOfNames, nameAt } from "./names.js";
import { splitUses, type SplitUse } from "./runSplits.js";
import { toPlain } from "../../semantic/configTree.js";
import { blockOf, keysOf, memberOf, namesOf } from "./contractData.js";

/**
 * Which ground truth captioning scores each evaluated split against (lavis/tasks/captioning.py @ac8fc98). Without
 * `annotation_file`, CaptionTask.build_datasets writes a ground-truth file only for valid_splits[0] ("val" when unset)
 * of a dataset whose name lacks "coco", and _report_metrics scores every split against that one file; datasets named
 * "coco" are scored against the COCO Karpathy files of the split's name, whatever their annotations.
 * - LV4055 (error): a split scored against another split's ground truth, or a split with no Karpathy file
 *   (pycocotools asserts "Results do not correspond to current coco set"; KeyError for other split names).
 * - LV4056 (warning): a "coco" dataset whose evaluated annotations were replaced is scored against COCO's captions
 *   (LAVIS#598).
 * Only when the task reports metrics (report_metric).
 */
export const captionGroundTruthRule: Rule = (ctx) => {
  if (nameAt(ctx, ["run", "task"]) !== "captioning") return;
  const report = ctx.at(["run", "report_metric"]);
  if (report?.kind === "scalar" && report.value === false) return;
  const file = ctx.at(["run", "annotation_file"]);
  if (file?.kind === "scalar" && file.value !== null && file.value !== "") return;
  const gtSplit = listOfNames(ctx, ["run", "valid_splits"])?.[0]?.name ?? "val";
  const datasets = ctx.at(["datasets"]);
  const gtDataset = datasets?.kind === "map" ? [...datasets.entries].find(([, cfg]) => datasetSplits(cfg)?.includes(gtSplit))?.[0] : undefined;
  const reported = new Set<string>();
  for (const use of splitUses(ctx).filter((u) => u.role !== "train")) {
    for (const dataset of use.datasets) {
      // Datasets lavisc builds itself (`prepare`) are scored by lavisc's runtime, never by LAVIS's CaptionTask.
      const builder = ctx.registry.builders.get(dataset);
      if (builder && ctx.registry.metaString(builder, "prepare")) continue;
      if (dataset.includes("coco")) checkCoco(ctx, use, dataset, reported);
      else if (!gtDataset) report4035(ctx, use, dataset, `no dataset provides \`${gtSplit}\` (valid_splits[0]) to build the ground truth from, so LAVIS scores it against the COCO Karpathy ${use.split} captions`);
      else if (use.split !== gtSplit) report4035(ctx, use, dataset, `LAVIS builds the ground truth from \`${gtSplit}\` (valid_splits[0]) only and scores every split against it`);
    }
  }
};

/** The COCO Karpathy annotation file whose ground truth CaptionTask scores a "coco" split against, by split (stdlib `coco_ground_truth`). */
function karpathyFiles(ctx: RuleContext): Map<string, string> {
  const block = memberOf(blockOf(ctx.registry.tasks.get("captioning"), "evaluation"), "coco_ground_truth");
  return new Map(block?.kind === "Block" ? keysOf(block).map((k) => [k, namesOf(memberOf(block, k))?.[0] ?? ""] as const) : []);
}

function checkCoco(ctx: RuleContext, use: SplitUse, dataset: string, reported: Set<string>) {
  const karpathy = karpathyFiles(ctx);
  const standard = karpathy.get(use.split);
  if (!standard) {
    report4035(ctx, use, dataset, `datasets named "coco" are scored against the COCO Karpathy files, which exist only for ${[...karpathy.keys()].join(" and ")} (KeyError: '${use.split}')`);
    return;
  }
  const raw = toPlain(ctx.at(["datasets", dataset, "build_info", "annotations", use.split, "storage"]));
  const files = (Array.isArray(raw) ? raw : [raw]).filter((s): s is string => typeof s === "string");
  if (!files.length || files.every((f) => f.split("/").pop() === standard)) return;
  const key = `${dataset}/${use.split}`;
  if (reported.has(key)) return;
  reported.add(key);
  ctx.report(diag("LV4056", ctx.spanFor(["datasets", dataset, "build_info", "annotations", use.split]), { dataset, split: use.split }, {
    path: `datasets.${dataset}.build_info.annotations.${use.split}`,
  }));
}

function report4035(ctx: RuleContext, use: SplitUse, dataset: string, why: string) {
  const node = ctx.at(["run", use.key]);
  const item = node?.kind === "list" ? node.items[use.index] : undefined;
  ctx.report(diag("LV4055", item && ctx.isUserValue(item) ? item.span : ctx.spanFor(["run", use.key]), { split: use.split, dataset, why }, {
    path: `run.${use.key}`,
  }));
}
