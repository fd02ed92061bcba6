import type { CNode } from "../../semantic/configTree.js";
import type { RuleContext } from "../context.js";

/**
 * Every processor slot the user can write: `datasets.<name>.<x>_processor.<split>` and a model default file's
 * `preprocess.<x>_processor.<split>` (a project's own `preprocess` is dropped before the rules run).
 */
export function processorSlots(ctx: RuleContext): { path: string[]; proc: CNode }[] {
  const out: { path: string[]; proc: CNode }[] = [];
  const visit = (cfg: CNode | undefined, path: string[]) => {
    if (cfg?.kind !== "map") return;
    for (const [slot, slots] of cfg.entries) {
      if (!slot.endsWith("_processor") || slots.kind !== "map") continue;
      for (const [split, proc] of slots.entries) out.push({ path: [...path, slot, split], proc });
    }
  };
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind === "map") for (const [name, cfg] of datasets.entries) visit(cfg, ["datasets", name]);
  visit(ctx.at(["preprocess"]), ["preprocess"]);
  return out;
}
