import type { Command } from "commander";
import { choiceOption } from "../optionValues.js";
import type { Action } from "../main.js";

/** `lavisc diff A B`: two experiments compared by their resolved values; exit 0 when equal, 1 when they differ. */
export function registerDiffCommand(program: Command, setAction: (a: Action) => void): void {
  program
    .command("diff")
    .description("compare two experiments (.lv or LAVIS .yaml) key by key after resolution, with where each value comes from")
    .argument("<a>")
    .argument("<b>")
    .addOption(choiceOption("--format <format>", "output format", ["text", "json"], "text"))
    .addHelpText("after", "\nExit codes: 0 the same experiment, 1 they differ, 2 one cannot be resolved (its errors are printed).")
    .action((a: string, b: string, o) => {
      setAction(async (h) => (await import("../../interop/diffCommand.js")).diffCommand(h, a, b, o));
    });
}
