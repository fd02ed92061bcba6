import { diag } from "../../diagnostics/index.js";
import type { Rule, RuleContext } from "../context.js";
import { blockOf, memberOf, namesOf } from "./contractData.js";
import { nameAt, quoteList } from "./names.js";
import { splitUses } from "./runSplits.js";
import { annotationsReplaced } from "./splitSizes.js";

/**
 * LV4061: evaluating on data the model was trained on. A builder's `split_overlap` (stdlib/contracts.lv) says which of
 * its evaluation splits are contained in another of its splits (coco_vqa's val questions are in its train split); an
 * arch's `finetuned_on` says which splits a model type's fine-tuned weights saw. Scores on such a split are inflated
 * (LAVIS#488: 83.4 on VQAv2 val against 78.3 on test-dev). Reported when the run evaluates such a split with those
 * weights loaded, or when it trains on the containing split and validates on a `valid_splits` the user wrote.
 */
export const evalOnTrainDataRule: Rule = (ctx) => {
  const seen = trainedSplits(ctx);
  for (const use of splitUses(ctx).filter((u) => u.role !== "train")) {
    if (use.role === "valid" && !userWritten(ctx, "valid_splits")) continue;
    for (const dataset of use.datasets) {
      const within = namesOf(memberOf(blockOf(ctx.registry.builders.get(dataset), "split_overlap"), use.split))?.[0];
      const by = within ? seen.get(`${dataset}.${within}`) : undefined;
      // The overlap is a fact about the builder's standard annotation files, not about data put in their place.
      const hasWithin = !!within && !!ctx.at(["datasets", dataset, "build_info", "annotations", within]);
      if (!within || !by || annotationsReplaced(ctx, dataset, use.split) || (hasWithin && annotationsReplaced(ctx, dataset, within!))) continue;
      const node = ctx.at(["run", use.key]);
      const item = node?.kind === "list" ? node.items[use.index] : undefined;
      ctx.report(diag("LV4061", item && ctx.isUserValue(item) ? item.span : ctx.spanFor(["run", use.key]), {
        split: use.split, dataset, within, by,
      }, { path: `run.${use.key}` }));
    }
  }
};

const userWritten = (ctx: RuleContext, key: string) => {
  const n = ctx.at(["run", key]);
  return !!n && ctx.isUserValue(n);
};

/** `dataset.split` the model has seen, with how: trained on in this run, or in the loaded fine-tuned weights. */
function trainedSplits(ctx: RuleContext): Map<string, string> {
  const out = new Map<string, string>();
  const evaluate = ctx.at(["run", "evaluate"]);
  if (!(evaluate?.kind === "scalar" && evaluate.value === true)) {
    for (const u of splitUses(ctx).filter((x) => x.role === "train")) for (const d of u.datasets) out.set(`${d}.${u.split}`, `this run trains on it (train_splits)`);
  }
  const arch = nameAt(ctx, ["model", "arch"]);
  const type = nameAt(ctx, ["model", "model_type"]);
  const finetuned = ctx.at(["model", "load_finetuned"]);
  if (arch && type && finetuned?.kind === "scalar" && finetuned.value === true) {
    const splits = namesOf(memberOf(blockOf(ctx.registry.archs.get(arch), "finetuned_on"), type)) ?? [];
    for (const s of splits) if (!out.has(s)) out.set(s, `the fine-tuned weights of \`${arch}(${type})\` were trained on ${quoteList(splits)}`);
  }
  return out;
}
