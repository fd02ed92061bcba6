import type { CNode } from "../../semantic/configTree.js";
import type { RuleContext } from "../context.js";

/**
 * Every processor slot the user can write: `datasets.<name>.<x>_processor.<split>` and a model default file's
 * `preprocess.<x>_processor.<split>` (a project's own `preprocess` is dropped before the rules run).
 */
export function processorSlots(ctx: RuleContext): readonly ProcessorSlot[] {
  let slots = slotsOf.get(ctx);
  if (!slots) slotsOf.set(ctx, (slots = findProcessorSlots(ctx)));
  return slots;
}

export interface ProcessorSlot {
  readonly path: readonly string[];
  readonly proc: CNode;
}

/** Several rules ask, of the same tree (the rules read it, never change it). */
const slotsOf = new WeakMap<RuleContext, readonly ProcessorSlot[]>();

function findProcessorSlots(ctx: RuleContext): ProcessorSlot[] {
  const out: ProcessorSlot[] = [];
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
