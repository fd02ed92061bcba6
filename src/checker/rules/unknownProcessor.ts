import type { Rule } from "../context.js";
import type { CNode } from "../../semantic/configTree.js";
import { checkName } from "./nameCheck.js";

/** LV2008: every processor slot (`vis_processor.train.name`, ...) names a registered processor. */
export const unknownProcessorRule: Rule = (ctx) => {
  const visitSlots = (cfg: CNode, path: string[]) => {
    if (cfg.kind !== "map") return;
    for (const [slot, slots] of cfg.entries) {
      if (!slot.endsWith("_processor") || slots.kind !== "map") continue;
      for (const [split, proc] of slots.entries) {
        if (proc.kind !== "map") continue;
        const p = [...path, slot, split, "name"];
        checkName(ctx, p, proc.entries.get("name"), ctx.registry.processors.keys(), "LV2008", (name) => ({ name }));
      }
    }
  };
  const datasets = ctx.at(["datasets"]);
  if (datasets?.kind === "map") for (const [name, cfg] of datasets.entries) visitSlots(cfg, ["datasets", name]);
};
