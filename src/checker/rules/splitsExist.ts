import { diag } from "../../diagnostics/index.js";
import { datasetSplits } from "../../semantic/resolve.js";
import type { Rule } from "../context.js";
import { listOfNames, quoteList } from "./names.js";

/** What RunnerBase does with a split no dataset built (lavis/runners/runner_base.py @eb3189b). */
const HOW_LAVIS_FAILS: Record<string, (split: string) => string> = {
  train_splits: () => "LAVIS fails with `KeyError: 'train'` (RunnerBase.train_loader) when training starts. ",
  valid_splits: (s) => `LAVIS trains epoch 0, then fails with \`AssertionError: data_loader for split ${s} is None.\` at the first validation. `,
  test_splits: (s) => `LAVIS fails with \`AssertionError: data_loader for split ${s} is None.\` when testing, after training. `,
};

/** LV4005: every split the run reads (train/valid/test_splits; only test_splits when evaluating) is provided by a dataset. */
export const splitsExistRule: Rule = (ctx) => {
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind !== "map" || datasets.entries.size === 0) return;
  const provided = new Set<string>();
  for (const cfg of datasets.entries.values()) {
    const s = datasetSplits(cfg);
    if (!s) return; // a dataset whose splits cannot be known (web shards, ...) may provide any split
    s.forEach((x) => provided.add(x));
  }
  const names = [...datasets.entries.keys()];
  const evaluateOnly = ctx.at(["run", "evaluate"]);
  const keys = evaluateOnly?.kind === "scalar" && evaluateOnly.value === true ? ["test_splits"] : ["train_splits", "valid_splits", "test_splits"];
  for (const key of keys) {
    const list = listOfNames(ctx, ["run", key]);
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
