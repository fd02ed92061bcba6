// `lavisc sweep FILE`: runs the checked trials on the tfjs engine, one after another in this process or several at a
// time as child processes (`lavisc sweep FILE --trial tNN`), each in <sweep folder>/<trial id>. Resumable: a re-run
// skips finished trials and resumes an interrupted one from its furthest checkpoint; a folder that holds a trial of
// another configuration stops everything before anything runs.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { lockFolder } from "../storage/index.js";
import { join } from "node:path";
import type { Host } from "../cli/host.js";
import { guardOverwrite } from "../cli/overwriteGuard.js";
import { ExitCode } from "../cli/exitCodes.js";
import { diag, renderDiagnostics, SourceSet, sortDiagnostics, type Diagnostic } from "../diagnostics/index.js";
import { toPlain } from "../semantic/configTree.js";
import { packageRoot } from "../project/paths.js";
import type { StopSignal } from "../runtime/index.js";
import type { RunCommandOptions } from "../cli/commands/run.js";
import { materialize, type CheckedSweep, type TrialSummary } from "./checkSweep.js";
import { picksText } from "./trial.js";
import {
  appendCurve, bestValidation, configDifferences, fingerprintConfig, foreignTrialFiles, readCurve, readTrialRecord, removeForeignTrialFiles,
  resumePoint, writeTrialRecord, type TrialRecord, type TrialRun,
} from "./trialFolder.js";
import { recordThroughput } from "./estimate.js";
import { SWEEP_HTML, SWEEP_JSON, isSweepHtml, isSweepJson, writeSweepReport } from "./report.js";

export interface SweepRunOptions extends RunCommandOptions {
  /** Trials run at the same time (child processes when more than 1). */
  readonly jobs: number;
  /** Run this trial only, in this process (what the child processes do). */
  readonly trial?: string;
  /** The command-line arguments a child needs besides `--trial`: the file and its options. */
  readonly childArgs: readonly string[];
  /** Replaces SIGINT/SIGTERM handling (tests). */
  readonly stopSignal?: StopSignal;
  /** Replace files in the sweep's folder that lavisc did not write. */
  readonly force?: boolean;
}

type Outcome = "done" | "interrupted" | "failed";

export async function runSweep(host: Host, c: CheckedSweep, o: SweepRunOptions): Promise<number> {
  const sweepDir = c.sweepDir!;
  const sources = new SourceSet();
  c.sources.forEach((s) => sources.add(s));
  const selected = o.trial ? c.trials.filter((t) => t.trial.id === o.trial) : c.trials;
  if (o.trial && !selected.length) {
    host.stderr(`error: the sweep has no trial ${o.trial}; its trials are ${c.trials.map((t) => t.trial.id).join(", ")}\n`);
    return ExitCode.Usage;
  }

  guardSweepFolder(host, sweepDir, selected, o.force);
  // Before anything runs: every folder that holds a trial must hold this trial.
  const mismatches: Diagnostic[] = [];
  const state = new Map<string, TrialRecord | null>();
  for (const t of selected) {
    const rec = readTrialRecord(t.outputDir!);
    state.set(t.trial.id, rec);
    if (!rec) continue;
    const diffs = configDifferences(rec.config, fingerprintConfig(toPlain(materialize(c, t).root)));
    if (diffs.length) mismatches.push(diag("LV6010", null, { dir: sweepDir, trial: t.trial.id, detail: diffs.join("; ") }));
  }
  if (mismatches.length) {
    host.stderr(renderDiagnostics(mismatches, sources, { color: host.color, cwd: host.cwd }) + "\n");
    return ExitCode.Diagnostics;
  }

  mkdirSync(sweepDir, { recursive: true });
  if (o.force) selected.forEach((t) => removeForeignTrialFiles(t.outputDir!));
  const pending = selected.filter((t) => state.get(t.trial.id)?.status !== "done");
  const finished = selected.length - pending.length;
  if (!o.trial) {
    const resumed = pending.filter((t) => resumePoint(t.outputDir!)).length;
    host.stderr(`sweep ${c.name}: ${selected.length} trials in ${sweepDir}; ${finished} finished before${pending.length ? `, ${pending.length} to run${resumed ? ` (${resumed} resumed)` : ""}` : ", nothing to run"}${pending.length && o.jobs > 1 ? `, ${Math.min(o.jobs, pending.length)} at a time` : ""}\n`);
    writeSweepReport(host, c);
  }

  let stop = o.stopSignal;
  let disposeStop = () => {};
  if (!stop) {
    const { stopOnSignals } = await import("../runtime/train/stopOnSignals.js");
    const s = stopOnSignals((signal) => host.stderr(`\n${signal}: stopping the running trials at their next step (each writes a resumable checkpoint); run the same command again to resume\n`));
    stop = s;
    disposeStop = () => s.dispose();
  }
  const outcomes = new Map<string, Outcome>();
  try {
    if (o.jobs > 1 && !o.trial && pending.length > 1) await runChildren(host, c, pending, o, stop, outcomes);
    else {
      for (const t of pending) {
        if (stop.stopRequested) break;
        if (!o.trial) host.stderr(`\n== ${t.trial.id}: ${picksText(t.trial.picks)}\n`);
        outcomes.set(t.trial.id, await runTrialHere(host, c, t, o, stop));
      }
    }
  } finally {
    disposeStop();
  }
  if (o.trial) {
    if (!pending.length) host.stderr(`${o.trial}: finished before (delete ${selected[0]!.outputDir} to run it again)\n`);
    const r = pending.length ? outcomes.get(o.trial) : "done";
    return r === "done" ? ExitCode.Ok : r === "interrupted" ? ExitCode.Interrupted : ExitCode.Diagnostics;
  }
  const report = writeSweepReport(host, c);
  host.stdout(report.summary);
  const all = [...outcomes.values()];
  if (stop.stopRequested || all.includes("interrupted")) return ExitCode.Interrupted;
  return all.includes("failed") ? ExitCode.Diagnostics : ExitCode.Ok;
}

/**
 * Before anything is written: the report and each trial's files must be lavisc's (report.ts, trialFolder.ts tell
 * them), so a sweep started before is resumed or re-run, while a folder holding the user's files is refused (or --force).
 */
function guardSweepFolder(host: Host, sweepDir: string, selected: readonly TrialSummary[], force: boolean | undefined): void {
  guardOverwrite(host, join(sweepDir, SWEEP_JSON), force, isSweepJson);
  guardOverwrite(host, join(sweepDir, SWEEP_HTML), force, isSweepHtml);
  for (const t of selected) for (const path of foreignTrialFiles(t.outputDir!)) guardOverwrite(host, path, force, () => false);
}

/** One trial in this process: resume point, trial.json before and after, the curve recorded as the runtime reports. */
export async function runTrialHere(host: Host, c: CheckedSweep, t: TrialSummary, o: RunCommandOptions, stop: StopSignal): Promise<Outcome> {
  const dir = t.outputDir!;
  const id = t.trial.id;
  // Two sweeps over the same folder (or a `--trial` beside the whole sweep) must not run one trial twice at once.
  const lock = lockFolder(join(dir, TRIAL_LOCK));
  if (!lock.held) {
    host.stderr(`error: ${id} is being run by process ${lock.pid} (${join(dir, TRIAL_LOCK)}); wait for it, or stop that process and run the same command again\n`);
    return "failed";
  }
  try {
    return await runLockedTrial(host, c, t, o, stop);
  } finally {
    lock.release();
  }
}

/** A trial's lock file, while a process runs it (a stale one, whose process ended, is taken over). */
const TRIAL_LOCK = "trial.lock";

async function runLockedTrial(host: Host, c: CheckedSweep, t: TrialSummary, o: RunCommandOptions, stop: StopSignal): Promise<Outcome> {
  const dir = t.outputDir!;
  const id = t.trial.id;
  const prev = readTrialRecord(dir);
  const from = resumePoint(dir);
  if (from) host.stderr(`${id}: resuming from ${from.path} (epoch ${from.epoch}, step ${from.step})\n`);
  const resolved = materialize(c, t, from ? { resumeFrom: from.path } : {});
  const base: TrialRecord = {
    format: "lavisc-sweep-trial", version: 1, id,
    values: Object.fromEntries(t.trial.picks.map((p) => [p.axis.key, p.value.text])),
    config: fingerprintConfig(toPlain(resolved.root)),
    status: "running", backendPackage: t.plan?.backendPackage ?? null, trainFlops: t.plan?.trainFlops ?? null,
    runs: prev?.runs ?? [], metrics: prev?.metrics ?? {}, best: prev?.best ?? null, errors: [],
  };
  writeTrialRecord(dir, base);

  const errors: string[] = [];
  // The run's own output (progress, its metrics) goes to stderr: stdout carries the sweep's summary only.
  const stderr = (text: string) => {
    for (const m of text.matchAll(/^error: (.*)$/gm)) errors.push(m[1]!);
    host.stderr(text);
  };
  const trialHost: Host = { ...host, stdout: stderr, stderr };
  const sources = new SourceSet();
  c.sources.forEach((s) => sources.add(s));
  const print = (ds: readonly Diagnostic[]) => {
    if (ds.length) trialHost.stderr(renderDiagnostics(sortDiagnostics(ds), sources, { color: host.color, cwd: host.cwd }) + "\n");
  };
  const { trainChecked } = await import("../cli/commands/run.js");
  const started = performance.now();
  const { code, result } = await trainChecked(trialHost, resolved, [], print, o, {
    stopSignal: stop,
    progress: {
      // Every step's loss, as the runtime reads them from the device (once per log_freq steps and at the epoch's end).
      onStep: (p) => appendCurve(dir, { kind: "step", epoch: p.epoch, step: p.step, steps: p.steps, loss: null, lr: p.lr }),
      onLosses: (p) => { for (const s of p.read) appendCurve(dir, { kind: "step", epoch: p.epoch, step: s.step, steps: p.steps, loss: s.loss, lr: s.lr }); },
      onEval: (e) => appendCurve(dir, { kind: "eval", split: e.split, epoch: e.epoch, metrics: e.metrics }),
    },
  });
  const run: TrialRun = { jobDir: result?.outputDir ?? null, resumedFrom: from?.path ?? null, seconds: (performance.now() - started) / 1000, exitCode: code };
  const outcome: Outcome = result?.status === 0 ? "done" : result?.status === 130 ? "interrupted" : "failed";
  const runs = [...base.runs, run];
  const done: TrialRecord = {
    ...base, status: outcome, runs, metrics: { ...base.metrics, ...(result?.metrics ?? {}) }, best: bestValidation(readCurve(dir).evals),
    errors: [...(result?.errors ?? []), ...errors.filter((e) => !result?.errors.includes(e))],
  };
  writeTrialRecord(dir, done);
  if (outcome === "done" && done.backendPackage && done.trainFlops) recordThroughput(host.env, done.backendPackage, done.trainFlops, runs.reduce((s, r) => s + r.seconds, 0));
  host.stderr(`${id}: ${outcome}${outcome === "interrupted" ? " (run the same command again to resume it)" : ""}\n`);
  return outcome;
}

/** Up to `jobs` child processes at a time, their output prefixed with the trial id; a stop request is passed on once. */
async function runChildren(host: Host, c: CheckedSweep, pending: readonly TrialSummary[], o: SweepRunOptions, stop: StopSignal, outcomes: Map<string, Outcome>): Promise<void> {
  const bin = join(packageRoot(), "bin", "lavisc.cjs");
  const running = new Map<string, ChildProcess>();
  let forwarded = false;
  const queue = [...pending];
  await new Promise<void>((allDone) => {
    const poll = setInterval(() => {
      if (stop.stopRequested && !forwarded) {
        forwarded = true;
        for (const child of running.values()) child.kill("SIGINT");
      }
    }, 200);
    const launch = () => {
      while (running.size < o.jobs && queue.length && !stop.stopRequested) {
        const t = queue.shift()!;
        const id = t.trial.id;
        host.stderr(`[${id}] started: ${picksText(t.trial.picks)}\n`);
        // Own process group: a terminal's Ctrl-C reaches the parent only, which passes one stop request on.
        const child = spawn(process.execPath, [bin, "sweep", ...o.childArgs, "--trial", id], {
          cwd: host.cwd, env: { ...process.env, ...host.env } as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], detached: true,
        });
        running.set(id, child);
        const prefix = (stream: NodeJS.ReadableStream) => {
          let partial = "";
          stream.on("data", (b: Buffer) => {
            const lines = (partial + b.toString()).split("\n");
            partial = lines.pop()!;
            for (const l of lines) host.stderr(`[${id}] ${l}\n`);
          });
          stream.on("end", () => partial && host.stderr(`[${id}] ${partial}\n`));
        };
        prefix(child.stdout!);
        prefix(child.stderr!);
        child.on("close", (code) => {
          running.delete(id);
          const rec = readTrialRecord(t.outputDir!);
          outcomes.set(id, rec?.status === "done" ? "done" : rec?.status === "interrupted" || code === 130 ? "interrupted" : "failed");
          launch();
          if (!running.size && (!queue.length || stop.stopRequested)) {
            clearInterval(poll);
            allDone();
          }
        });
      }
    };
    launch();
  });
}
