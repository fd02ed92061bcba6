import { resolve } from "node:path";
import type { Command } from "commander";
import type { Action } from "../main.js";
import type { Host } from "../host.js";
import { ExitCode } from "../exitCodes.js";
import { checkFile } from "../../index.js";
import { SourceSet, sortDiagnostics, renderDiagnostics, type Diagnostic } from "../../diagnostics/index.js";
import { renderProgress } from "./runProgress.js";
import type { LaunchOptions } from "../../interop/launchLavis.js";

/** `lavisc run`'s options: its own, plus those of the LAVIS launch (`--engine lavis`). */
export interface RunCommandOptions extends LaunchOptions {
  readonly set: string[];
  readonly options?: string[];
  readonly quiet?: boolean;
  readonly engine: "tfjs" | "lavis";
  readonly dataRoot?: string;
  readonly storageRoot?: string;
  readonly workers?: string;
  readonly allowHttp?: boolean;
}

/**
 * `lavisc run FILE`: check, lower to the execution graph, prepare built-in data, preflight the data, then train and
 * evaluate on TensorFlow.js. Nothing heavy is loaded before the experiment is known to be valid.
 */
export async function runCommand(host: Host, file: string, o: RunCommandOptions): Promise<number> {
  const path = resolve(host.cwd, file);
  const checked = checkFile(path, host, { sets: o.set, options: o.options ?? [] });
  const sources = new SourceSet();
  for (const s of checked.sources) sources.add(s);
  const print = (diags: readonly Diagnostic[]) => {
    if (diags.length) host.stderr(renderDiagnostics(sortDiagnostics(diags), sources, { color: host.color, cwd: host.cwd }));
  };
  const errors = (d: readonly Diagnostic[]) => d.some((x) => x.severity === "error");
  if (!checked.resolved || errors(checked.diagnostics)) {
    print(checked.diagnostics);
    return ExitCode.Diagnostics;
  }

  if (o.engine === "lavis") {
    const refused = (await import("../../interop/lavisOnly.js")).lavisOnlyDiagnostics(checked.resolved, "run with LAVIS");
    if (refused.length) {
      print([...checked.diagnostics, ...refused]);
      return ExitCode.Diagnostics;
    }
    return (await import("./runLavis.js")).runWithLavis(host, path, checked, o);
  }

  const { defaultDataRoot, prepareDataset, DataError } = await import("../../data/index.js");
  const dataRoot = o.dataRoot ?? defaultDataRoot(host.env as NodeJS.ProcessEnv);
  const { lowerToGraph, runSpecOf } = await import("../../compiler/lower.js");
  const lowered = lowerToGraph(checked.resolved, { dataRoot, ...(o.storageRoot ? { storageRoot: o.storageRoot } : {}) });
  const diags = [...checked.diagnostics, ...lowered.diagnostics];
  print(diags);
  if (errors(diags)) return ExitCode.Diagnostics;
  const spec = runSpecOf(lowered.graph);

  // Built-in datasets are made on first use.
  try {
    for (const name of new Set(spec.datasets.flatMap((d) => (d.prepare ? [d.prepare] : [])))) {
      const r = prepareDataset(name, { root: dataRoot });
      if (r.created && !o.quiet) host.stderr(`prepared the built-in dataset ${name} under ${dataRoot}\n`);
    }
  } catch (e) {
    if (e instanceof DataError) {
      host.stderr(`error: ${e.message}\n`);
      return ExitCode.Diagnostics;
    }
    throw e;
  }

  // Preflight: every annotation and image the run will read, before the first step.
  const { preflightData } = await import("../../runtime/data/index.js");
  const pre = await preflightData(spec.datasets, {
    trainSplits: spec.evaluate ? [] : spec.trainSplits,
    evalSplits: spec.evaluate ? spec.testSplits : [...spec.validSplits, ...spec.testSplits],
  });
  for (const f of pre.findings) {
    const more = f.count > f.paths.length ? ` (and ${f.count - f.paths.length} more)` : "";
    host.stderr(`${f.severity}: ${f.dataset}${f.split ? `/${f.split}` : ""}: ${f.message}${f.paths.length ? `\n  ${f.paths.join("\n  ")}${more}` : ""}\n`);
  }
  if (pre.findings.some((f) => f.severity === "error")) return ExitCode.Diagnostics;

  const runtime = await import("../../runtime/index.js");
  const data = runtime.dataModuleFactory(o.workers !== undefined ? { workers: Number(o.workers) } : {});
  const stop = runtime.stopOnSignals((signal) => host.stderr(`\n${signal}: stopping at the next step and writing a resumable checkpoint (again to quit now)\n`));
  const progress = renderProgress(host, { quiet: !!o.quiet });
  try {
    const result = await runtime.runExperiment(spec, {
      dataFactory: data,
      progress,
      stopSignal: stop,
      allowHttp: !!o.allowHttp,
      logger: { info: (m) => !o.quiet && host.stderr(`${m}\n`), warn: (m) => host.stderr(`warning: ${m}\n`) },
    });
    progress.done();
    for (const e of result.errors) host.stderr(`error: ${e}\n`);
    if (result.outputDir) host.stdout(`output: ${result.outputDir}\n`);
    for (const [split, metrics] of Object.entries(result.metrics)) {
      host.stdout(`${split}: ${Object.entries(metrics).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`).join(", ")}\n`);
    }
    if (result.status === 130 && result.resumePath) host.stderr(`stopped; resume with --set recipe.resume_ckpt_path=${JSON.stringify(result.resumePath)}\n`);
    if (result.status === 1 && result.resumePath) host.stderr(`once fixed, resume with --set recipe.resume_ckpt_path=${JSON.stringify(result.resumePath)} (add --set recipe.output_dir=... to write elsewhere)\n`);
    return result.status === 0 ? ExitCode.Ok : result.status === 130 ? ExitCode.Interrupted : ExitCode.Diagnostics;
  } finally {
    stop.dispose();
    await data.close();
  }
}

export const registerRunCommand = (program: Command, setAction: (a: Action) => void): void => {
  const collect = (v: string, prev: string[]) => [...prev, v];
  program
    .command("run")
    .description("train and evaluate an experiment (TensorFlow.js), or launch it with LAVIS (--engine lavis)")
    .argument("<file>")
    .option("--set <key=value>", "override a value (repeatable)", collect, [])
    .option("--options <key=value...>", "LAVIS-style overrides")
    .option("--engine <engine>", "tfjs (default) or lavis", "tfjs")
    .option("--quiet", "no progress output")
    .option("--data-root <dir>", "root of the built-in datasets (default $LAVISC_DATA or ~/.cache/lavisc/data)")
    .option("--storage-root <dir>", "LAVIS's cache_root, for relative storage paths of LAVIS datasets")
    .option("--workers <n>", "image decoding worker threads")
    .option("--allow-http", "accept weights by plain http:// URL (default: https only)")
    .option("--nproc-per-node <n>", "processes per node (--engine lavis)")
    .option("--nnodes <n>", "nodes (--engine lavis)")
    .option("--node-rank <n>", "this node's rank (--engine lavis)")
    .option("--master-addr <addr>", "rendezvous address (--engine lavis)")
    .option("--master-port <port>", "rendezvous port (--engine lavis)")
    .option("--lavis-root <dir>", "LAVIS checkout with train.py and evaluate.py (--engine lavis)")
    .option("--python <exe>", "Python interpreter (--engine lavis)", "python3")
    .option("--torchrun-arg <arg>", "extra argument for torch.distributed.run (repeatable; --engine lavis)", collect, [])
    .option("--dry-run", "print the command that would run (--engine lavis)")
    .action((file: string, o) => setAction((h) => runCommand(h, file, o)));
};
