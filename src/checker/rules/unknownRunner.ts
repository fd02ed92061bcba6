import type { Rule } from "../context.js";
import { checkName } from "./nameCheck.js";

/** LV2010: `run.runner` must be a registered runner. */
export const unknownRunnerRule: Rule = (ctx) => {
  checkName(ctx, ["run", "runner"], ctx.at(["run", "runner"]), ctx.registry.runners.keys(), "LV2010", (name) => ({ name }));
};
