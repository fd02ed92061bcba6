import { Option, type Command } from "commander";
import type { Action } from "../main.js";

/** `lavisc export FILE [-o OUT.yaml]`: the resolved experiment as a LAVIS project YAML. */
export function registerExportCommand(program: Command, setAction: (a: Action) => void): void {
  program
    .command("export")
    .description("write the resolved experiment as a LAVIS project YAML (every value explicit)")
    .argument("<file>", "an experiment (.lv or LAVIS .yaml)")
    .option("-o, --output <file>", "write the YAML here (atomically) instead of printing it")
    .option("--force", "with -o: overwrite a file lavisc did not write")
    .addOption(new Option("--set <key=value>", "override a value (repeatable)").argParser((v: string, prev: string[] = []) => [...prev, v]).default([]))
    .option("--options <key=value...>", "LAVIS-style overrides")
    .action((file: string, o) => {
      setAction(async (h) => (await import("../../interop/exportCommand.js")).exportCommand(h, file, o));
    });
}
