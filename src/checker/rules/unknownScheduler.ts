import type { Rule } from "../context.js";
import { checkName } from "./nameCheck.js";

/** LV2009: `run.lr_sched` must be a registered learning-rate scheduler. */
export const unknownSchedulerRule: Rule = (ctx) => {
  checkName(ctx, ["run", "lr_sched"], ctx.at(["run", "lr_sched"]), ctx.registry.schedulers.keys(), "LV2009", (name) => ({ name }));
};
