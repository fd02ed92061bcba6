import { diag } from "../../diagnostics/index.js";
import type { Rule } from "../context.js";
import { experimentSpan } from "../../semantic/experimentSpan.js";

/** LV2018: an experiment needs a task, a model and at least one dataset (an inference config: a model). */
export const missingSectionRule: Rule = (ctx) => {
  // A base or module that did not load (already an error) may hold what seems missing.
  if (ctx.resolved.input.incomplete) return;
  const yaml = ctx.resolved.input.format === "yaml";
  // Nothing of the section was written: point at the experiment's name (a YAML file: its first key, or its start).
  const where = experimentSpan(ctx.resolved.input);
  const inference = ctx.resolved.input.role === "inference";
  // A section of the wrong shape is that error (LV3001, sectionShape.ts), not a missing one.
  const shapeless = (s: string) => ctx.invalid.has(s);
  if (!ctx.at(["run", "task"]) && !shapeless("run")) {
    ctx.report(diag("LV2018", ctx.spanFor(["run"]) ?? where, { what: "task", fix: yaml ? "Add `task: <name>` under `run:`." : "Add `task <name>` (e.g. `task captioning`)." }, { path: "run.task" }));
  }
  if (!shapeless("model") && !ctx.at(["model", "arch"])) {
    ctx.report(diag("LV2018", ctx.spanFor(["model"]) ?? where, { what: "model", fix: yaml ? "Add `model:` with `arch` and `model_type`." : "Add `model <arch>(<model_type>)`." }, { path: "model.arch" }));
  } else if (!shapeless("model") && !ctx.at(["model", "model_type"])) {
    ctx.report(diag("LV2018", ctx.spanFor(["model", "arch"]) ?? where, { what: "model type", fix: yaml ? "Add `model_type` under `model:`." : "Write the model type in parentheses: `model <arch>(<model_type>)`." }, { path: "model.model_type" }));
  }
  const ds = ctx.at(["datasets"]);
  if (inference) return;
  // `datasets:` with nothing under it is null: LAVIS stops ("Expecting 'datasets' as the root key").
  const none = !ds || (ds.kind === "scalar" && ds.type === "null") || (ds.kind === "map" && ds.entries.size === 0);
  if (!shapeless("datasets") && none) {
    ctx.report(diag("LV2018", where, { what: "dataset", fix: yaml ? "Add `datasets:` with at least one builder." : "Add a `data <builder> { ... }` block." }, { path: "datasets" }));
  }
};
