import type { Command } from "commander";
import { choiceOption } from "../optionValues.js";
import type { Action } from "../main.js";

/** `lavisc registry scan DIR`: a LAVIS-family repository's registry, read statically, as `DIR/.lavisc/registry.lv`. */
export function registerRegistryCommand(program: Command, setAction: (a: Action) => void): void {
  const registry = program.command("registry").description("stdlib extensions for repositories built on LAVIS (forks)");
  registry
    .command("scan")
    .description("read a repository's registrations (@registry.register_*), default files and config keys without running it, and write DIR/.lavisc/registry.lv")
    .argument("<dir>", "the repository's folder")
    .option("--repository <name>", "the repository named in the header (default: the git origin, else the folder name)")
    .option("--commit <sha>", "the commit named in the header (default: the git checkout's HEAD)")
    .option("--stdout", "print the extension instead of writing it")
    .addOption(choiceOption("--format <format>", "output format of the report", ["text", "json"], "text"))
    .action((dir: string, o) => {
      setAction(async (h) => (await import("./registryScan.js")).registryScanCommand(h, dir, o));
    });
}
