import { resolve } from "node:path";
import { CommanderError } from "commander";
import type { Host } from "./host.js";
import { availableParallelism } from "node:os";
import { ExitCode } from "./exitCodes.js";
import { StorageError, badPath, notAFolder, storageFault } from "../storage/index.js";
import { UsageError } from "./usageError.js";
import { outOfMemoryMessage } from "./outOfMemory.js";
import { visible } from "../diagnostics/visible.js";
import { buildProgram, type Action } from "./program.js";

export { UsageError };
export { extraCommands, type Action, type RegisterCommand } from "./program.js";

/**
 * The whole CLI as a function: argv (without `node lavisc`) and a Host in, an exit code out. The commands are declared
 * in program.ts and import their implementations lazily, so that `lavisc fmt` never loads TensorFlow.js.
 */
export async function runCli(argv: readonly string[], host: Host): Promise<number> {
  let action: Action | undefined;
  const debug = argv.includes("--debug");
  const program = await buildProgram((a) => (action = a), {
    cores: availableParallelism(),
    output: { writeOut: (s) => host.stdout(s), writeErr: (s) => host.stderr(s) },
  });

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
