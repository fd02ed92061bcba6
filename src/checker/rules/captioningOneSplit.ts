import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { nameAt } from "./names.js";

/** LV4006: LAVIS's captioning task evaluates exactly one validation split. */
export const captioningOneSplitRule: Rule = (ctx) => {
  if (nameAt(ctx, ["run", "task"]) !== "captioning") return;
  const node = ctx.at(["run", "valid_splits"]);
  if (node?.kind !== "list" || node.items.length <= 1) return;
  ctx.report(diag("LV4006", ctx.spanFor(["run", "valid_splits"]), { key: "valid_splits", count: node.items.length }, {
    path: "run.valid_splits",
    hint: "Keep one split (e.g. [val]) in valid_splits; put the others in test_splits.",
  }));
};
