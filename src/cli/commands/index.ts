// Registers the commands of later stages with the CLI. Each register function only declares options; the
// implementation is imported inside the action, so start-up stays fast. Append one import and one push per command.
import { extraCommands } from "../program.js";
import { registerGraphCommand } from "./graph.js";
extraCommands.push(registerGraphCommand);
import { registerPlanCommand } from "./plan.js";
extraCommands.push(registerPlanCommand);
import { registerMigrateCommand } from "./migrate.js";
import { registerExportCommand } from "./export.js";
import { registerDiffCommand } from "./diff.js";
import { registerSchemaCommand } from "./schema.js";
extraCommands.push(registerMigrateCommand);
extraCommands.push(registerExportCommand);
extraCommands.push(registerDiffCommand);
extraCommands.push(registerSchemaCommand);
import { registerRunCommand } from "./run.js";
import { registerDataCommand } from "./data.js";
extraCommands.push(registerRunCommand, registerDataCommand);
import { registerRegistryCommand } from "./registry.js";
extraCommands.push(registerRegistryCommand);
import { registerSweepCommand } from "./sweep.js";
extraCommands.push(registerSweepCommand);
import { registerLspCommand } from "./lsp.js";
extraCommands.push(registerLspCommand);
