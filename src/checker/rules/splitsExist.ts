import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { listOfNames, quoteList } from "./names.js";
import { lookedUpValidSplits } from "./validSplitLookup.js";
import { providedSplits } from "./runSplits.js";

/** What RunnerBase does with a split no dataset built (lavis/runners/runner_base.py @eb3189b). */
const HOW_LAVIS_FAILS: Record<string, (split: string) => string> = {
  train_splits: () => "LAVIS fails with `KeyError: 'train'` (RunnerBase.train_loader) when training starts. ",
  valid_splits: (s) => `LAVIS trains epoch 0, then fails with \`AssertionError: data_loader for split ${s} is None.\` at the first validation. `,
  test_splits: (s) => `LAVIS fails with \`AssertionError: data_loader for split ${s} is None.\` when testing, after training. `,
};

/**
 * LV4005: every split the run reads (train/valid/test_splits; only test_splits when evaluating) is provided by a
 * dataset. A validation split that the task looks up while building the datasets fails earlier, and LV4071 says so.
 */
export const splitsExistRule: Rule = (ctx) => {
  // A dataset whose splits cannot be known (web shards, ...) may provide any split.
  const provided = providedSplits(ctx);
  const datasets = ctx.at(["datasets"]);
  if (!provided || datasets?.kind !== "map") return;
  const names = [...datasets.entries.keys()];
  const evaluateOnly = ctx.at(["run", "evaluate"]);
  const keys = evaluateOnly?.kind === "scalar" && evaluateOnly.value === true ? ["test_splits"] : ["train_splits", "valid_splits", "test_splits"];
  const lookedUp = lookedUpValidSplits(ctx)?.map((s) => s.split) ?? [];
  for (const key of keys) {
    const list = listOfNames(ctx, ["run", key])?.filter(({ name }) => key !== "valid_splits" || !lookedUp.includes(name));
    const node = ctx.at(["run", key]);
    if (!list || node?.kind !== "list") continue;
    for (const { name, index } of list) {
      if (provided.has(name)) continue;
      const item = node.items[index]!;
      ctx.report(diag("LV4005", ctx.isUserValue(item) ? item.span : ctx.spanFor(["run"]), { split: name, key, datasets: names.length === 1 ? `dataset \`${names[0]}\`` : `any of ${quoteList(names)}` }, {
        path: `run.${key}`,
        hint: `${HOW_LAVIS_FAILS[key]?.(name) ?? ""}Available splits: ${quoteList([...provided])}.${ctx.isUserValue(node) ? "" : ` \`${key}\` has its default value here; set it explicitly.`}`,
      }));
    }
  }
};
