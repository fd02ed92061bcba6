import type { Command } from "commander";
import { choiceOption } from "../optionValues.js";
import type { Action } from "../main.js";

/** `lavisc schema --format json-schema [-o FILE]`: a JSON Schema of LAVIS project YAML, for editors. */
export function registerSchemaCommand(program: Command, setAction: (a: Action) => void): void {
  program
    .command("schema")
    .description("print a JSON Schema (draft 2020-12) of LAVIS project YAML generated from the stdlib and the stdlib extension of the current folder (its nearest .lavisc/, or --stdlib-ext)")
    .addOption(choiceOption("--format <format>", "schema format", ["json-schema"], "json-schema"))
    .option("-o, --output <file>", "write the schema here (atomically) instead of printing it")
    .option("--force", "with -o: overwrite a file lavisc did not write")
    .action((o) => {
      setAction(async (h) => (await import("../../interop/schemaCommand.js")).schemaCommand(h, o));
    });
}
