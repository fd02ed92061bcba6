import { diag } from "../../diagnostics/index.js";
import type { GraphRule } from "../validateGraph.js";
import { declaredByStdlib } from "../../semantic/facts.js";
import { absentReading } from "../../semantic/codeFallbacks.js";

/** LV5003/LV5004/LV5012: every input of the run is bound — needed keys have values, every train/eval step has data, image loaders have an image transform. */
export const boundInputsRule: GraphRule = (ctx) => {
  // A base or module that did not load (already an error) may hold what seems missing.
  if (ctx.resolved.input.incomplete) return;
  for (const m of ctx.missing) {
    // A value the resolver could not compute (a reference cycle, or a value reading one) is that error, not a second.
    if (ctx.invalid.has(m.path)) continue;
    const path = ctx.pathOf(m.path);
    ctx.report(diag("LV5003", ctx.spanFor(path), { key: m.path, purpose: m.purpose }, { path: m.path }));
  }
  const fed = new Set(ctx.graph.edges.filter((e) => e.label === "batches").map((e) => e.to));
  for (const step of [...ctx.nodesOf("train_step"), ...ctx.nodesOf("eval_step")]) {
    if (fed.has(step.id)) continue;
    const role = step.kind === "train_step" ? "train" : String(step.attrs["role"]);
    const key = role === "train" ? "train_splits" : `${role}_splits`;
    const splits = step.kind === "train_step" ? (step.attrs["splits"] as string[]) : [String(step.attrs["split"])];
    if (!splits.length) {
      // What LAVIS's runner does instead (stdlib: `absent_is_not_a_value`), which is rarely what an empty list meant.
      const lavis = role === "train" ? absentReading(ctx.resolved, ["run", key]) : null;
      const hint = lavis ? `LAVIS would not stop here: ${lavis}. List the training splits (e.g. ["train"]), or set evaluate to true for a run that only evaluates.` : null;
      ctx.report(diag("LV5003", ctx.spanFor(["run", key]), { key: `run.${key}`, purpose: "training (no split is listed)" }, { path: `run.${key}`, ...(hint ? { hint } : {}) }));
      continue;
    }
    for (const split of splits) ctx.report(diag("LV5004", ctx.spanFor(["run", key]), { role: role === "valid" ? "validation" : role, split }, { path: `run.${key}` }));
  }
  const transformed = new Set(ctx.graph.edges.filter((e) => e.label === "images").map((e) => e.to));
  for (const loader of ctx.nodesOf("loader")) {
    if (transformed.has(loader.id)) continue;
    const dataset = String(loader.attrs["dataset"]), split = String(loader.attrs["split"]);
    const ds = ctx.graph.run.datasets.find((d) => d.name === dataset);
    if (ds?.dataType !== "images") continue;
    // LAVIS's BaseDatasetBuilder picks `vis_processor.train` or `.eval` by split; a fork's or a user's builder does so in its own code.
    if (!declaredByStdlib(ctx.registry.builders.get(ds.builder))) continue;
    // Other slots (blip_diffusion's kw_processor) transform images their own way.
    const cfg = (ctx.graph.run.config["datasets"] as Record<string, Record<string, unknown>> | undefined)?.[dataset] ?? {};
    if (Object.keys(cfg).some((k) => k.endsWith("_processor") && k !== "vis_processor" && k !== "text_processor")) continue;
    // Split lists the stdlib defaulted are lavisc's guess (LAVIS's own default is []), so only written ones are held to this.
    const list = ctx.at(["run", `${String(loader.attrs["role"])}_splits`]);
    if (!list || !ctx.isUserValue(list)) continue;
    const phase = split === "train" ? "train" : "eval";
    ctx.report(diag("LV5012", ctx.spanFor(["datasets", dataset, "vis_processor", phase]), { split, dataset, phase }, { path: `datasets.${dataset}.vis_processor.${phase}` }));
  }
};
