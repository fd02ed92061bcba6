import { resolve } from "node:path";
import { Command, CommanderError } from "commander";
import type { Host } from "./host.js";
import { availableParallelism } from "node:os";
import { defaultThreads } from "./commands/checkAcrossThreads.js";
import { ExitCode } from "./exitCodes.js";
import { version } from "./version.js";
import { StorageError, badPath, notAFolder, storageFault } from "../storage/index.js";
import { UsageError } from "./usageError.js";
import { choiceOption, diagnosticCodes, integerIn, positiveInteger } from "./optionValues.js";
import { outOfMemoryMessage } from "./outOfMemory.js";
import { visible } from "../diagnostics/visible.js";

export { UsageError };
export type Action = (host: Host) => Promise<number>;

/**
 * The whole CLI as a function: argv (without `node lavisc`) and a Host in, an exit code out. Commands are imported
 * lazily so that `lavisc fmt` never loads TensorFlow.js.
 */
export async function runCli(argv: readonly string[], host: Host): Promise<number> {
  await import("./commands/index.js");
  let action: Action | undefined;
  const debug = argv.includes("--debug");
  const program = new Command("lavisc")
    .description("A typed language and compiler for LAVIS vision-language experiments.")
    .version(version, "-V, --version")
    .option("--debug", "print stack traces of internal errors")
    .option("--stdlib-ext <file>", "a stdlib extension (.lv file or folder) to use instead of the nearest .lavisc/ folder")
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.stdout(s), writeErr: (s) => host.stderr(s) })
    .showSuggestionAfterError(true);

  const formatOption = () => choiceOption("--format <format>", "output format", ["text", "json"], "text");
  const collect = (v: string, prev: string[]) => [...prev, v];

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
    .option("--fix", "first fix, in the files, what can be fixed for certain (a single did-you-mean, a quoted number, an unused lavisc: ignore code), then report what is left")
    .option("--max-warnings <n>", "exit 1 when there are more than N warnings (0: any warning fails, e.g. in CI)", integerIn("--max-warnings", 0, Number.MAX_SAFE_INTEGER))
    .option("--jobs <n>", `threads for a folder check (default: half the cores, ${defaultThreads(availableParallelism())} here; fewer for a small folder)`, positiveInteger("--jobs"))
    .action((files: string[], o) => {
      action = async (h) => (await import("./commands/check.js")).checkCommand(h, files, o);
    });

  program
    .command("fmt")
    .description("format .lv files in the canonical layout")
    .argument("<files...>")
    .option("--check", "exit 1 if a file is not formatted, without writing")
    .option("--write", "rewrite files in place (atomically)")
    .action((files: string[], o) => {
      action = async (h) => (await import("./commands/fmt.js")).fmtCommand(h, files, o);
    });

  program
    .command("explain")
    .description("show the resolved experiment and where each value comes from")
    .argument("<file>")
    .argument("[key]", "one key, e.g. run.warmup_lr or recipe.warmup_lr")
    .addOption(formatOption())
    .option("--set <key=value>", "override a value (repeatable)", collect, [])
    .option("--options <key=value...>", "LAVIS-style overrides")
    .action((file: string, key: string | undefined, o) => {
      action = async (h) => (await import("./commands/explain.js")).explainCommand(h, file, key, o);
    });

  for (const extra of extraCommands) extra(program, (a) => (action = a));

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return ExitCode.Ok;
      return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (e instanceof UsageError) {
      host.stderr(`error: ${visible(e.message)}\n`);
      return ExitCode.Usage;
    }
    return internalError(host, e, debug);
  }
  if (!action) {
    host.stdout(program.helpInformation());
    return ExitCode.Usage;
  }
  try {
    return await action(withStdlibExt(host, program.opts().stdlibExt as string | undefined));
  } catch (e) {
    if (e instanceof UsageError) {
      host.stderr(`error: ${visible(e.message)}\n`);
      return ExitCode.Usage;
    }
    const memory = outOfMemoryMessage(e);
    if (memory) {
      host.stderr(`error: ${visible(memory)}\n`);
      return ExitCode.Diagnostics;
    }
    const fault = machineFault(e);
    if (fault) {
      // A full disk, a read-only or vanished folder: a condition of the machine, not a bug.
      host.stderr(`error: ${visible(fault.message)}\n`);
      return ExitCode.Diagnostics;
    }
    return internalError(host, e, debug);
  }
}

/** Later stages add their commands here (graph, plan, run, migrate, export, diff, schema, data). */
export type RegisterCommand = (program: Command, setAction: (a: Action) => void) => void;
export const extraCommands: RegisterCommand[] = [];

/** `--stdlib-ext FILE` travels with the host, so every command that loads a file sees it. */
function withStdlibExt(host: Host, file: string | undefined): Host {
  if (!file) return host;
  const path = resolve(host.cwd, file);
  if (!host.exists(path) && !host.isDirectory(path)) throw new UsageError(`--stdlib-ext: ${file} does not exist`);
  return Object.assign(Object.create(host) as Host, { stdlibExt: path });
}

/** A StorageError, or a write error that only the machine causes (full disk, read-only file system) from any writer. */
function machineFault(e: unknown): StorageError | null {
  if (e instanceof StorageError) return e;
  const err = e as NodeJS.ErrnoException | null;
  const writeOnly = ["ENOSPC", "EDQUOT", "EFBIG", "EROFS"];
  if (err && typeof err.path === "string" && err.code === "ENOTDIR") return notAFolder(err.path); // reading or writing
  if (err && typeof err.path === "string") {
    const bad = badPath(err, err.path); // reading or writing
    if (bad) return bad;
  }
  return err && typeof err.path === "string" && writeOnly.includes(err.code ?? "") ? storageFault(err, err.path, null) : null;
}

function internalError(host: Host, e: unknown, debug: boolean): number {
  const err = e instanceof Error ? e : new Error(String(e));
  host.stderr(`internal error: ${visible(err.message)}\n`);
  if (debug) host.stderr(`${err.stack ?? ""}\n`);
  else host.stderr("This is a bug in lavisc. Run again with --debug for the stack trace, and report it with the input that caused it.\n");
  return ExitCode.Internal;
}
