import type { Rule } from "../context.js";
import { checkName } from "./nameCheck.js";

/** LV2007: `run.task` must be a registered task. */
export const unknownTaskRule: Rule = (ctx) => {
  checkName(ctx, ["run", "task"], ctx.at(["run", "task"]), ctx.registry.tasks.keys(), "LV2007", (name) => ({ name }));
};
