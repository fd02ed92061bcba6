// Registers the commands of later stages with the CLI. Each register function only declares options; the
// implementation is imported inside the action, so start-up stays fast. Append one import and one push per command.
import { extraCommands } from "../main.js";
import { registerGraphCommand } from "./graph.js";
extraCommands.push(registerGraphCommand);
import { registerPlanCommand } from "./plan.js";
extraCommands.push(registerPlanCommand);
