import type { Command } from "commander";
import type { Action } from "../main.js";

/** `lavisc migrate FILE.yaml... [-o OUT | --write [--force]] [--minimal]`: LAVIS YAML to idiomatic `.lv`. */
export function registerMigrateCommand(program: Command, setAction: (a: Action) => void): void {
  program
    .command("migrate")
    .description("translate LAVIS YAML configs to .lv, keeping comments (prints the .lv, or writes X.lv with --write)")
    .argument("<files...>", "LAVIS project YAML files")
    .option("-o, --output <file>", "write the .lv of one YAML file here (atomically)")
    .option("--write", "write X.lv next to each X.yaml")
    .option("--force", "with --write or -o: overwrite an existing .lv")
    .option("--minimal", "leave out values equal to what the key would inherit (model, dataset or schema default)")
    .action((files: string[], o) => {
      setAction(async (h) => (await import("../../interop/migrateCommand.js")).migrateCommand(h, files, o));
    });
}
