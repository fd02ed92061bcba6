import { basename, resolve } from "node:path";
import type { Command } from "commander";
import type { Action } from "../main.js";
import type { Host } from "../host.js";
import { ExitCode, exitCodeFor } from "../exitCodes.js";
import { checkFile } from "../../index.js";
import { SourceSet, sortDiagnostics, renderDiagnostics, visible, visibleOnOneLine, type Diagnostic } from "../../diagnostics/index.js";
import { renderProgress } from "./runProgress.js";
import { choiceOption, integerIn, positiveInteger } from "../optionValues.js";
import type { LaunchOptions } from "../../interop/launchLavis.js";
import type { Resolved } from "../../semantic/resolve.js";
import type { EvalProgress, LossesRead, ProgressReporter, RunPhase, RunResult, StepProgress, StopSignal } from "../../runtime/index.js";

/** `lavisc run`'s options: its own, plus those of the LAVIS launch (`--engine lavis`). */
export interface RunCommandOptions extends LaunchOptions {
  readonly set: string[];
  readonly options?: string[];
  readonly quiet?: boolean;
  readonly engine: "tfjs" | "lavis";
  readonly dataRoot?: string;
  readonly storageRoot?: string;
  readonly workers?: number;
  readonly allowHttp?: boolean;
  /** The cores and memory replicas are checked against (tests); default this machine. */
  readonly machine?: import("../../compiler/planReplicas.js").Machine;
}

/**
 * `lavisc run FILE`: check, lower to the execution graph, prepare built-in data, preflight the data, then train and
 * evaluate on TensorFlow.js. Nothing heavy is loaded before the experiment is known to be valid.
 */
export async function runCommand(host: Host, file: string, o: RunCommandOptions): Promise<number> {
  const path = resolve(host.cwd, file);
  const tfjs = o.engine !== "lavis";
  const { defaultDataRoot } = await import("../../data/index.js");
  const dataRoot = o.dataRoot ? resolve(host.cwd, o.dataRoot) : defaultDataRoot(host.env as NodeJS.ProcessEnv);
  const checked = checkFile(path, host, {
    sets: o.set,
    options: o.options ?? [],
    experimentFor: "run",
    needsRun: true,
    graph: { engine: tfjs ? "tfjs" : "any", dataRoot, ...(o.storageRoot ? { storageRoot: resolve(host.cwd, o.storageRoot) } : {}) },
  });
  const sources = new SourceSet();
  for (const s of checked.sources) sources.add(s);
  const print = (diags: readonly Diagnostic[]) => {
    if (diags.length) host.stderr(renderDiagnostics(sortDiagnostics(diags), sources, { color: host.color, cwd: host.cwd }));
  };
  const errors = (d: readonly Diagnostic[]) => d.some((x) => x.severity === "error");
  if (!checked.resolved || errors(checked.diagnostics)) {
    print(checked.diagnostics);
    return exitCodeFor(checked.diagnostics) || ExitCode.Diagnostics;
  }

  if (o.engine === "lavis") {
    const refused = (await import("../../interop/lavisOnly.js")).lavisOnlyDiagnostics(checked.resolved, "run with LAVIS");
    // The check's warnings are shown before LAVIS starts, as before training on tfjs (LV4099: evaluate.py, which
    // the launch runs for an evaluation-only run, would evaluate nothing).
    print([...checked.diagnostics, ...refused]);
    if (refused.length) return ExitCode.Diagnostics;
    return (await import("./runLavis.js")).runWithLavis(host, path, checked, o);
  }
  return (await trainChecked(host, checked.resolved, checked.diagnostics, print, o)).code;
}

/** What a caller that runs several experiments (`lavisc sweep`) passes instead of the command's own. */
export interface TrainHooks {
  /** Receives the runtime's progress besides the command's own rendering. */
  readonly progress?: ProgressReporter;
  /** Replaces the command's own SIGINT/SIGTERM handling. */
  readonly stopSignal?: StopSignal;
}

/**
 * The tfjs part of `lavisc run` for a checked experiment: lower to the execution graph, prepare built-in data,
 * preflight the data, then train and evaluate. Returns the exit code and the runtime's result (null when it never ran).
 */
export async function trainChecked(
  host: Host, resolved: Resolved, checkDiagnostics: readonly Diagnostic[], print: (diags: readonly Diagnostic[]) => void,
  o: RunCommandOptions, hooks: TrainHooks = {},
): Promise<{ code: number; result: RunResult | null }> {
  const errors = (d: readonly Diagnostic[]) => d.some((x) => x.severity === "error");
  const stopped = (code: number) => ({ code, result: null });
  const { defaultDataRoot, DataError } = await import("../../data/index.js");
  const dataRoot = o.dataRoot ? resolve(host.cwd, o.dataRoot) : defaultDataRoot(host.env as NodeJS.ProcessEnv);
  const { lowerToGraph, runSpecOf } = await import("../../compiler/lower.js");
  const lowered = lowerToGraph(resolved, { dataRoot, ...(o.storageRoot ? { storageRoot: resolve(host.cwd, o.storageRoot) } : {}), env: host.env });
  // checkFile ran the graph's rules already (for `run`, with the same roots): what it found is not shown twice.
  const seen = new Set(checkDiagnostics.map((d) => `${d.code}|${d.path}|${d.message}`));
  const diags = [...checkDiagnostics, ...lowered.diagnostics.filter((d) => !seen.has(`${d.code}|${d.path}|${d.message}`))];
  print(diags);
  if (errors(diags)) return stopped(ExitCode.Diagnostics);
  // Every warning printed before training is also listed in report.html (its runtime warnings reach it as they come).
  const { diagnosticWarningLine, dataWarningLine } = await import("../../report/warningLines.js");
  const warnings = diags.filter((d) => d.severity === "warning").map(diagnosticWarningLine);
  let spec = runSpecOf(lowered.graph);
  if (spec.model.weightsFrom) {
    const found = await weightsFromProject(host, spec.model.weightsFrom, o);
    if (typeof found === "number") return stopped(found);
    spec = (await import("./weightsFrom.js")).withWeights(spec, found);
  }
  // What `lavisc plan` knows cannot fit (LV6004) never starts: a thread per replica until the machine runs out.
  const beyondMemory = (await import("../../compiler/planReplicas.js")).replicasBeyondMemory(spec, o.machine);
  if (beyondMemory) {
    print([beyondMemory]);
    return stopped(ExitCode.Diagnostics);
  }
  const overMemory = (await import("../../compiler/plan.js")).stepMemoryWarning(spec, o.machine);
  if (overMemory) {
    host.stderr(`warning[${overMemory.code}]: ${visible(overMemory.message)}\n  = help: ${overMemory.hint}\n`);
    warnings.push(diagnosticWarningLine(overMemory));
  }

  // Built-in datasets: the prepared folder as it is (what check and plan counted), made with the defaults on first use.
  try {
    const { useBuiltinDatasets } = await import("./builtinData.js");
    useBuiltinDatasets(host, spec, dataRoot, !!o.quiet);
  } catch (e) {
    if (e instanceof DataError) {
      host.stderr(`error: ${e.message}\n`);
      return stopped(ExitCode.Diagnostics);
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
  if (pre.findings.some((f) => f.severity === "error")) return stopped(ExitCode.Diagnostics);
  warnings.push(...pre.findings.filter((f) => f.severity === "warning").map(dataWarningLine));
  // Split sizes check could not count (the data was not local then): no replica starts on a shard short of a batch.
  if (!spec.evaluate && (spec.worldSize ?? 1) > 1) {
    const trainSplits = Object.fromEntries(Object.entries(pre.splits).filter(([k]) => spec.trainSplits.includes(k.slice(k.indexOf("/") + 1))));
    const short = (await import("../../compiler/rules/batchSize.js")).shardShortOfBatch(trainSplits, spec.worldSize!, spec.batchSizeTrain);
    if (short) {
      print([short]);
      return stopped(ExitCode.Diagnostics);
    }
  }

  const runtime = await import("../../runtime/index.js");
  const data = runtime.dataModuleFactory(o.workers !== undefined ? { workers: o.workers } : {});
  let phase: RunPhase = "training";
  const stop = hooks.stopSignal ? { stopRequested: false, dispose: () => undefined } : runtime.stopOnSignals((signal) => host.stderr(`\n${signal}: ${whatAStopDoes(spec.evaluate, phase)} (again to quit now)\n`));
  const progress = renderProgress(host, { quiet: !!o.quiet });
  const extra = hooks.progress;
  try {
    const result = await runtime.runExperiment(spec, {
      dataFactory: data,
      progress: {
        ...(extra ? {
          onStep: (p: StepProgress) => { extra.onStep?.(p); progress.onStep?.(p); },
          onEval: (p: EvalProgress) => { extra.onEval?.(p); progress.onEval?.(p); },
          onLosses: (p: LossesRead) => { extra.onLosses?.(p); progress.onLosses?.(p); },
          onLog: (l: string) => { extra.onLog?.(l); progress.onLog?.(l); },
        } : progress),
        // What a stop request does depends on it (the signal handler's message must be true).
        onPhase: (p) => { phase = p; extra?.onPhase?.(p); },
      },
      stopSignal: hooks.stopSignal ?? stop,
      allowHttp: !!o.allowHttp,
      // report.html in the run folder, rewritten at every change (loss, lr, validation, evaluations, config with origins).
      listeners: [(await import("../../report/reportWriter.js")).reportWriter({
        title: `${basename(resolved.input.file)}: ${spec.task}, ${spec.model.arch}(${spec.model.modelType})`,
        task: spec.task, model: `${spec.model.arch}(${spec.model.modelType})`,
        config: (await import("../../report/configOrigins.js")).configRowsWithOrigins(resolved, (p) => host.readFile(p), host.cwd),
        samplesPerStep: spec.batchSizeTrain, validSplits: spec.validSplits, warnings,
        warn: (m) => host.stderr(`warning: ${visible(m)}\n`),
      })],
      logger: { info: (m) => !o.quiet && host.stderr(`${visible(m)}\n`), warn: (m) => host.stderr(`warning: ${visible(m)}\n`) },
    });
    progress.done();
    for (const e of result.errors) host.stderr(`error: ${visible(e)}\n`);
    if (result.outputDir) host.stdout(`output: ${visibleOnOneLine(result.outputDir)}\n`);
    for (const [split, metrics] of Object.entries(result.metrics)) {
      host.stdout(`${split}: ${Object.entries(metrics).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`).join(", ")}\n`);
    }
    // Inside a sweep the sweep itself resumes its trials (the same command again).
    if (!hooks.stopSignal) {
      if (result.status === 130 && result.resumePath) host.stderr(`stopped; resume with --set recipe.resume_ckpt_path=${JSON.stringify(result.resumePath)}\n`);
      if (result.status === 1 && result.resumePath) host.stderr(`once fixed, resume with --set recipe.resume_ckpt_path=${JSON.stringify(result.resumePath)} (add --set recipe.output_dir=... to write elsewhere)\n`);
    }
    return { code: result.status === 0 ? ExitCode.Ok : result.status === 130 ? ExitCode.Interrupted : ExitCode.Diagnostics, result };
  } finally {
    stop.dispose();
    await data.close();
  }
}

/** What the run does on SIGINT/SIGTERM now: only training stops with a checkpoint; an evaluation runs to its end. */
function whatAStopDoes(evaluateOnly: boolean, phase: RunPhase): string {
  if (evaluateOnly) return "an evaluation-only run has no checkpoint to write or resume; it finishes its evaluation";
  if (phase === "after-training") return "training is done and its checkpoints are written; the run finishes its test evaluation";
  return "stopping after the current step or validation and writing a resumable checkpoint";
}

/** Projects whose checkpoint is being made for a `finetuned_from` (a project naming itself, or a cycle, stops here). */
const making = new Set<string>();

/** The newest best checkpoint of `project`, after running it when it has none; an exit code when that fails. */
async function weightsFromProject(host: Host, project: string, o: RunCommandOptions): Promise<string | number> {
  const { weightsSource } = await import("./weightsFrom.js");
  const source = await weightsSource(host, project);
  if (typeof source === "string") {
    host.stderr(`error: ${source}\n`);
    return ExitCode.Diagnostics;
  }
  let checkpoint = source.checkpoint;
  if (!checkpoint) {
    if (making.has(source.project)) {
      host.stderr(`error: model.finetuned_from of ${project} leads back to itself; set model.finetuned to a checkpoint instead\n`);
      return ExitCode.Diagnostics;
    }
    host.stderr(`no run of ${project} has written checkpoint_best.json under ${source.outputDir}: running it first (model.finetuned_from)\n`);
    making.add(source.project);
    try {
      const code = await runCommand(host, source.project, { ...o, set: [], options: [] });
      if (code !== ExitCode.Ok) {
        host.stderr(`error: ${project} (model.finetuned_from) did not finish (exit ${code}); its checkpoint is needed first\n`);
        return code;
      }
    } finally {
      making.delete(source.project);
    }
    checkpoint = (await import("../../runtime/checkpoint/newestBest.js")).newestBestCheckpoint(source.outputDir);
    if (!checkpoint) {
      host.stderr(`error: ${project} finished without a checkpoint_best.json under ${source.outputDir} (does it validate on a "val" split?)\n`);
      return ExitCode.Diagnostics;
    }
  }
  host.stderr(`weights: ${checkpoint} (the best checkpoint of ${project}'s newest run; model.finetuned_from)\n`);
  return checkpoint;
}

export const registerRunCommand = (program: Command, setAction: (a: Action) => void): void => {
  const collect = (v: string, prev: string[]) => [...prev, v];
  program
    .command("run")
    .description("train and evaluate an experiment (TensorFlow.js), or launch it with LAVIS (--engine lavis)")
    .argument("<file>")
    .option("--set <key=value>", "override a value (repeatable)", collect, [])
    .option("--options <key=value...>", "LAVIS-style overrides")
    .addOption(choiceOption("--engine <engine>", "tfjs (default) or lavis", ["tfjs", "lavis"], "tfjs"))
    .option("--quiet", "no progress output")
    .option("--data-root <dir>", "root of the built-in datasets (default $LAVISC_DATA or ~/.cache/lavisc/data)")
    .option("--storage-root <dir>", "LAVIS's cache_root, for relative storage paths of LAVIS datasets")
    .option("--workers <n>", "image decoding worker threads (0: decode on the main thread; default 1; run.num_workers is LAVIS's, not read)", integerIn("--workers", 0, 256))
    .option("--allow-http", "accept weights by plain http:// URL (default: https only)")
    .option("--nproc-per-node <n>", "processes per node (--engine lavis)", positiveInteger("--nproc-per-node"))
    .option("--nnodes <n>", "nodes (--engine lavis)", positiveInteger("--nnodes"))
    .option("--node-rank <n>", "this node's rank (--engine lavis)", integerIn("--node-rank", 0, Number.MAX_SAFE_INTEGER))
    .option("--master-addr <addr>", "rendezvous address (--engine lavis)")
    .option("--master-port <port>", "rendezvous port (--engine lavis)", integerIn("--master-port", 1, 65535))
    .option("--lavis-root <dir>", "LAVIS checkout with train.py and evaluate.py (--engine lavis)")
    .option("--python <exe>", "Python interpreter (--engine lavis)", "python3")
    .option("--torchrun-arg <arg>", "extra argument for torch.distributed.run (repeatable; --engine lavis)", collect, [])
    .option("--dry-run", "print the command that would run (--engine lavis)")
    .action((file: string, o) => setAction((h) => runCommand(h, file, o)));
};
