import { diag } from "../../diagnostics/index.js";
import { datasetSplits } from "../../semantic/resolve.js";
import type { Rule, RuleContext } from "../context.js";
import { validSplitLookup } from "./contractData.js";
import { listOfNames, nameAt, quoteList } from "./names.js";

export interface LookedUpSplit {
  readonly split: string;
  /** The item of run.valid_splits that names it; undefined when the task's own default supplies it. */
  readonly index?: number;
}

/**
 * The validation splits the task's build_datasets looks up in every dataset (stdlib `valid_split_lookup`): those
 * run.valid_splits sets, or the task's default when the experiment does not set the key (a value lavisc filled in
 * is not LAVIS's, whose task reads the key itself). Null when the task looks up none.
 */
export function lookedUpValidSplits(ctx: RuleContext): LookedUpSplit[] | null {
  const task = nameAt(ctx, ["run", "task"]);
  const absent = task ? validSplitLookup(ctx.registry, task) : null;
  if (!absent) return null;
  const node = ctx.at(["run", "valid_splits"]);
  if (node && ctx.isUserValue(node)) return (listOfNames(ctx, ["run", "valid_splits"]) ?? []).map(({ name, index }) => ({ split: name, index }));
  return absent.map((split) => ({ split }));
}

/**
 * LV4071: a dataset without a split the task looks up while building the datasets. VQATask.build_datasets
 * (lavis/tasks/vqa.py as of X-InstructBLIP, which LAVIS's configs @506965b are written for: it reads run.valid_splits
 * and defines DisCRNTask; @7a08d0c it still looped over the splits each dataset has) indexes every dataset by each
 * validation split, so a dataset that lacks one stops
 * LAVIS with `KeyError` before training or evaluating starts, also with `evaluate: True` (LAVIS#764: BLIP's own
 * vqav2_ft.yaml, whose vg_vqa has only a train split). Datasets whose splits cannot be known are not judged.
 */
export const validSplitLookupRule: Rule = (ctx) => {
  const splits = lookedUpValidSplits(ctx);
  const datasets = ctx.at(["datasets"]);
  if (!splits?.length || datasets?.kind !== "map") return;
  const task = nameAt(ctx, ["run", "task"])!;
  const list = ctx.at(["run", "valid_splits"]);
  for (const [dataset, cfg] of datasets.entries) {
    const has = datasetSplits(cfg);
    if (!has) continue;
    for (const { split, index } of splits.filter((s) => !has.includes(s.split))) {
      const item = index !== undefined && list?.kind === "list" ? list.items[index] : undefined;
      ctx.report(diag("LV4071", item ? item.span : cfg.keySpan ?? ctx.spanFor(["datasets", dataset]), {
        task, split, dataset, has: has.length ? quoteList(has) : "none",
        source: item ? "it is in `run.valid_splits`" : "the task's default, as `run.valid_splits` is not set",
      }, {
        path: item ? "run.valid_splits" : `datasets.${dataset}`,
        hint: `VQATask takes each validation split's answer list and COCO-format files from every dataset (LAVIS#764). Give \`${dataset}\` a \`${split}\` entry under build_info.annotations, set run.valid_splits to splits that every dataset has (ranking answers needs one with an answer list), or train \`${dataset}\` in a run of its own.`,
      }));
    }
  }
};
