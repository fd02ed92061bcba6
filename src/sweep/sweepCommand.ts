// `lavisc sweep FILE`: check every trial, then print the table (--dry-run), export them for LAVIS (--engine lavis
// --export DIR) or run them on TensorFlow.js.
import { resolve } from "node:path";
import { availableParallelism } from "node:os";
import type { Host } from "../cli/host.js";
import { ExitCode } from "../cli/exitCodes.js";
import { UsageError } from "../cli/main.js";
import { SourceSet, diagnosticsToJson, renderDiagnostics } from "../diagnostics/index.js";
import type { RunCommandOptions } from "../cli/commands/run.js";
import type { StopSignal } from "../runtime/index.js";
import { checkSweep } from "./checkSweep.js";
import { renderTrialTable, trialTableJson } from "./table.js";

export interface SweepCommandOptions extends RunCommandOptions {
  readonly sweep: string[];
  readonly dryRun?: boolean;
  readonly format: "text" | "json";
  readonly out?: string;
  readonly jobs: string;
  readonly trial?: string;
  readonly export?: string;
  readonly sbatchArg?: string[];
  readonly force?: boolean;
  /** Replaces SIGINT/SIGTERM handling (embedding, tests). */
  readonly stopSignal?: StopSignal;
}

/** `--jobs N` or `auto` (one trial per core; the wasm backend runs one thread per trial). More than the cores is refused. */
function jobsOf(text: string, host: Host): number {
  const cores = availableParallelism();
  if (text === "auto") return cores;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs expects a positive integer or auto, got '${text}'`);
  if (n > cores) {
    host.stderr(`warning: --jobs ${n} is more than this machine's ${cores} cores; running ${cores} trials at a time\n`);
    return cores;
  }
  return n;
}

export async function sweepCommand(host: Host, file: string, o: SweepCommandOptions): Promise<number> {
  const path = resolve(host.cwd, file);
  const lavis = o.engine === "lavis";
  if (lavis && !o.export && !o.dryRun) throw new UsageError("--engine lavis needs --export DIR: lavisc writes one LAVIS YAML per trial with a torch.distributed launcher and a SLURM array script there");
  // Before any work, as the other usage errors: what sweep.sbatch cannot hold.
  if (lavis && o.export) (await import("./exportLavis.js")).refuseLineBreaks({ exportDir: resolve(host.cwd, o.export), sbatchArg: o.sbatchArg ?? [] });
  const jobs = jobsOf(o.jobs, host);
  const checked = checkSweep(path, host, {
    sets: o.set, options: o.options ?? [], sweeps: o.sweep,
    ...(o.out ? { sweepDir: resolve(host.cwd, o.out) } : {}),
    ...(o.dataRoot ? { dataRoot: resolve(host.cwd, o.dataRoot) } : {}),
    ...(o.storageRoot ? { storageRoot: resolve(host.cwd, o.storageRoot) } : {}),
    // LAVIS resolves a relative output_dir itself (under its library root): keep it relative there.
    ...(lavis ? { engine: "lavis" as const } : { cwd: host.cwd }),
  });
  const sources = new SourceSet();
  checked.sources.forEach((s) => sources.add(s));
  const diags = checked.diagnostics; // in order: the sweep's own, those every trial has, then trial by trial
  const errors = diags.some((d) => d.severity === "error");
  if (o.trial && checked.trials.length && !checked.trials.some((t) => t.trial.id === o.trial)) {
    throw new UsageError(`the sweep has no trial ${o.trial}; its trials are ${checked.trials.map((t) => t.trial.id).join(", ")}`);
  }
  // A trial run on its own (what the parent starts in a child process, whose report it already printed) prints only
  // what stops it: its errors, or everything with --dry-run.
  const trialOnly = !!o.trial && !o.dryRun && !errors;

  if (o.dryRun && o.format === "json") {
    host.stdout(JSON.stringify({ ...(trialTableJson(checked, host.env) as object), diagnostics: JSON.parse(diagnosticsToJson(diags, sources, host.cwd)) }, null, 2) + "\n");
    return errors ? ExitCode.Diagnostics : ExitCode.Ok;
  }
  if (diags.length && !trialOnly) host.stderr(renderDiagnostics(diags, sources, { color: host.color, cwd: host.cwd }) + "\n");
  if (checked.trials.length && !trialOnly) (o.dryRun ? host.stdout : host.stderr)(renderTrialTable(checked, host.env, host.cwd));
  if (errors) {
    if (!o.dryRun) host.stderr(`no trial was started: ${checked.trials.filter((t) => t.errors).length || "the sweep itself"} ${checked.trials.some((t) => t.errors) ? "of the trials have errors" : "has errors"}\n`);
    return ExitCode.Diagnostics;
  }
  if (o.dryRun) return ExitCode.Ok;

  if (lavis) {
    const { exportLavisSweep } = await import("./exportLavis.js");
    return exportLavisSweep(host, checked, { ...o, exportDir: resolve(host.cwd, o.export!) });
  }
  if (!checked.sweepDir) throw new UsageError("the experiment has no recipe.output_dir; give the sweep a folder with --out DIR");
  const { runSweep } = await import("./runSweep.js");
  return runSweep(host, checked, { ...o, jobs, ...(o.trial ? { trial: o.trial } : {}), childArgs: childArgs(path, checked.sweepDir, o) });
}

/** What a child process (`lavisc sweep FILE --trial tNN`) needs to find the same trials in the same folder. */
function childArgs(path: string, sweepDir: string, o: SweepCommandOptions): string[] {
  const args = [path, "--out", sweepDir, "--jobs", "1"];
  for (const s of o.set) args.push("--set", s);
  for (const s of o.sweep) args.push("--sweep", s);
  if (o.options?.length) args.push("--options", ...o.options);
  if (o.dataRoot) args.push("--data-root", o.dataRoot);
  if (o.storageRoot) args.push("--storage-root", o.storageRoot);
  if (o.workers !== undefined) args.push("--workers", String(o.workers));
  if (o.quiet) args.push("--quiet");
  if (o.allowHttp) args.push("--allow-http");
  return args;
}
