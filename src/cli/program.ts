import { Command } from "commander";
import type { Host } from "./host.js";
import { defaultThreads } from "./commands/checkAcrossThreads.js";
import { version } from "./version.js";
import { choiceOption, diagnosticCodes, integerIn, positiveInteger } from "./optionValues.js";

export type Action = (host: Host) => Promise<number>;

/** Later stages add their commands here (graph, plan, run, migrate, export, diff, schema, data). */
export type RegisterCommand = (program: Command, setAction: (a: Action) => void) => void;
export const extraCommands: RegisterCommand[] = [];

export interface ProgramSettings {
  /** The cores of this machine, named in `check --jobs`'s help; left out, the help names none (docs/cli.md). */
  readonly cores?: number;
  /** Where help, version and parse errors are written (commander's default: the process's streams). */
  readonly output?: { writeOut(s: string): void; writeErr(s: string): void };
}

/**
 * The whole command line as one commander program: every command, argument and option, each action handing its
 * implementation to `setAction`. `runCli` parses with it; tools/genCliDocs.ts writes docs/cli.md from it.
 */
export async function buildProgram(setAction: (a: Action) => void, settings: ProgramSettings = {}): Promise<Command> {
  await import("./commands/index.js");
  const program = new Command("lavisc")
    .description("A typed language and compiler for LAVIS vision-language experiments.")
    .version(version, "-V, --version")
    .option("--debug", "print stack traces of internal errors")
    .option("--stdlib-ext <file>", "a stdlib extension (.lv file or folder) to use instead of the nearest .lavisc/ folder")
    .exitOverride()
    .showSuggestionAfterError(true);
  // Commands copy these settings when they are created, so they come first.
  if (settings.output) program.configureOutput(settings.output);
  addCheckCommand(program, setAction, settings);
  addFmtCommand(program, setAction);
  addExplainCommand(program, setAction);
  for (const extra of extraCommands) extra(program, setAction);
  return program;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function jobsHelp(cores: number | undefined): string {
  const here = cores === undefined ? "" : `, ${defaultThreads(cores)} here`;
  return `threads for a folder check (default: half the cores${here}; fewer for a small folder)`;
}

function addCheckCommand(program: Command, setAction: (a: Action) => void, settings: ProgramSettings): void {
  program
    .command("check")
    .description("check experiments (.lv or LAVIS .yaml) and report every problem; a folder checks every config in it, each in its role")
    .argument("<files...>", "files or folders")
    .addOption(choiceOption("--format <format>", "output format (sarif: a SARIF 2.1.0 log for code scanning; github: GitHub Actions annotations)", ["text", "json", "sarif", "github"], "text"))
    .option("--set <key=value>", "override a value (repeatable), e.g. recipe.init_lr=3e-5", collect, [])
    .option("--options <key=value...>", "LAVIS-style overrides, e.g. run.init_lr=3e-5")
    .option("--max-errors <n>", "stop reporting after N errors", positiveInteger("--max-errors"))
    .option("--ignore <codes>", "leave out the warnings of these codes, e.g. LV4010,LV4017 (errors are always reported)", diagnosticCodes, [])
    .option("--statistics", "print how many diagnostics of each code, most frequent first, instead of the diagnostics")
    .option("--fix", "first fix, in the files, what can be fixed for certain (a misspelt name with one did-you-mean, a quoted number, an unused lavisc: ignore code), then report what is left")
    .option("--max-warnings <n>", "exit 1 when there are more than N warnings (0: any warning fails, e.g. in CI)", integerIn("--max-warnings", 0, Number.MAX_SAFE_INTEGER))
    .option("--jobs <n>", jobsHelp(settings.cores), positiveInteger("--jobs"))
    .action((files: string[], o) => {
      setAction(async (h) => (await import("./commands/check.js")).checkCommand(h, files, o));
    });
}

function addFmtCommand(program: Command, setAction: (a: Action) => void): void {
  program
    .command("fmt")
    .description("format .lv files in the canonical layout")
    .argument("<files...>")
    .option("--check", "exit 1 if a file is not formatted, without writing")
    .option("--write", "rewrite files in place (atomically)")
    .action((files: string[], o) => {
      setAction(async (h) => (await import("./commands/fmt.js")).fmtCommand(h, files, o));
    });
}

function addExplainCommand(program: Command, setAction: (a: Action) => void): void {
  program
    .command("explain")
    .description("show the resolved experiment and where each value comes from")
    .argument("<file>")
    .argument("[key]", "one key, e.g. run.warmup_lr or recipe.warmup_lr")
    .addOption(choiceOption("--format <format>", "output format", ["text", "json"], "text"))
    .option("--set <key=value>", "override a value (repeatable)", collect, [])
    .option("--options <key=value...>", "LAVIS-style overrides")
    .action((file: string, key: string | undefined, o) => {
      setAction(async (h) => (await import("./commands/explain.js")).explainCommand(h, file, key, o));
    });
}
