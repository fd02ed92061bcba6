import type { Rule } from "../context.js";
import { checkName } from "./nameCheck.js";
import { processorSlots } from "./processorSlots.js";

/** LV2008: every processor slot (`vis_processor.train.name`, ...) names a registered processor. */
export const unknownProcessorRule: Rule = (ctx) => {
  for (const { path, proc } of processorSlots(ctx)) {
    if (proc.kind !== "map") continue;
    checkName(ctx, [...path, "name"], proc.entries.get("name"), ctx.registry.processors.keys(), "LV2008", (name) => ({ name }));
  }
};
