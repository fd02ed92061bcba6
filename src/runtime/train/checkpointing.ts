// Checkpoints of a run: what is saved (model, AdamW moments, RNG, scheduler position, best so far, vocabulary, the
// running sums of an interrupted epoch), how a resume restores it, and how initial weights load (non-strictly, as
// LAVIS). Tensors are read from the device asynchronously, so saving works on every backend.
import * as tf from "@tensorflow/tfjs";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { EvaluationNames, RunSpec } from "../runSpec.js";
import { loadCheckpoint, saveCheckpoint, type CheckpointMeta, type LoadedCheckpoint } from "../checkpoint/checkpoint.js";
import type { StTensor } from "../checkpoint/safetensors.js";
import { describeIssues, type Model } from "../models/index.js";
import { readTensors } from "../nn/paramStore.js";
import type { AdamW } from "../optim/adamW.js";
import type { Rng, RngState } from "./rng.js";
import { resumeStart, type StartPosition } from "../checkpoint/resumeStart.js";
import { silentLogger, type Logger } from "./progress.js";
import { UserError } from "./userError.js";
import { bestCountedIn } from "./runFiles.js";

export interface Best {
  readonly aggMetrics: number;
  readonly epoch: number;
}

export type { StartPosition } from "../checkpoint/resumeStart.js";

/** A lavisc checkpoint or weights file; a problem is a UserError naming `what`. */
export function readCheckpoint(path: string, what: string): LoadedCheckpoint {
  const r = loadCheckpoint(path);
  if (!r.ok) throw new UserError(`${what}: ${r.error}`);
  return r.ckpt;
}

/** What a resume restores besides the tensors: where training continues and the best validation so far. */
export interface Resumed {
  readonly start: StartPosition;
  readonly best: Best;
  readonly bestPath: string | null;
}

/** Restores model, optimizer and RNG from a resume checkpoint (strictly); returns where training continues. */
export function restoreTraining(resume: LoadedCheckpoint, path: string, model: Model, optimizer: AdamW, rng: Rng): Resumed {
  const meta = resume.meta;
  if (!meta) throw new UserError(`run.resume_ckpt_path ${path} has no .json half; a bare weights file cannot resume training`);
  loadInto(model, resume.model, path);
  restoreOptimizer(optimizer, resume, path);
  rng.setState(meta.rng);
  const earlierBest = join(path, "..", "checkpoint_best.json");
  return { start: resumeStart(meta), best: { ...meta.best }, bestPath: existsSync(earlierBest) ? earlierBest : null };
}

/**
 * The run's line about a resume: where it continues, and the best validation it keeps. lavisc continues as the
 * uninterrupted run would, best score and checkpoint_best included; LAVIS's RunnerBase.train / RunnerIter.train start
 * `best_agg_metric = 0` and `_load_checkpoint` restores only model, optimizer, scaler and epoch (docs/checkpoints.md).
 */
export function describeResume(resumed: Resumed, path: string, names: EvaluationNames): string {
  const { start, best } = resumed;
  const at = `resumed from ${path} at epoch ${start.epoch}${start.skipSteps ? `, step ${start.skipSteps}` : ""}`;
  if (!(best.aggMetrics > 0)) return at;
  const when = `${bestCountedIn(names)} ${best.epoch}`;
  const where = resumed.bestPath ? ` (${resumed.bestPath})` : "";
  return `${at}; best so far agg_metrics ${best.aggMetrics} at ${when}${where}, kept (LAVIS restarts the best at 0 after a resume)`;
}

/** Why the test phase of a run with validation splits has no checkpoint_best to load (it then tests the last weights). */
export function whyNoBestCheckpoint(spec: Pick<RunSpec, "bestSplit" | "validSplits" | "evaluationNames">, best: Best, resumedFrom: string | null): string {
  const bestSplit = spec.bestSplit ?? "val";
  if (!spec.validSplits.includes(bestSplit)) {
    return `no validation split is named \`${bestSplit}\`, the only one LAVIS keeps a best checkpoint for, so there is none; testing the last weights (LAVIS stops here with FileNotFoundError for checkpoint_best.pth)`;
  }
  // A resume restores the best score; its checkpoint_best is looked for beside the resumed checkpoint only.
  if (best.aggMetrics > 0 && resumedFrom) {
    return `no validation of this run improved on the best agg_metrics ${best.aggMetrics} (${bestCountedIn(spec.evaluationNames)} ${best.epoch}) restored from ${resumedFrom}, and there is no checkpoint_best.json beside it to test; testing the last weights (copy that run's checkpoint_best.json and its weights there to test the best)`;
  }
  return "no validation improved on agg_metrics 0, so there is no best checkpoint; testing the last weights";
}

/**
 * A stop inside an epoch records the steps done; more than an epoch of this run has means the data or batch size
 * changed since, or the JSON was edited (skipping them all would resume silently at the epoch's end).
 */
export function checkResumeStep(start: StartPosition, stepsPerEpoch: number, path: string): void {
  if (start.skipSteps <= stepsPerEpoch) return;
  throw new UserError(`run.resume_ckpt_path: checkpoint ${path}: field "partial.step" is ${start.skipSteps}, expected at most ${stepsPerEpoch} (the steps of one epoch of this run); it was written with other data or another batch size, or is damaged`);
}

export class Checkpointer {
  best: Best = { aggMetrics: 0, epoch: 0 };
  /** Where checkpoint_best lives (after a resume it may be in the earlier run's directory). */
  bestPath: string | null = null;
  /** Data-parallel runs: the other ranks' step RNG states, saved beside rank 0's. */
  replicaRngStates: (() => readonly RngState[]) | null = null;

  constructor(
    private readonly runDir: string,
    private readonly spec: RunSpec,
    private readonly model: Model,
    private readonly optimizer: AdamW,
    private readonly rng: Rng,
    private readonly vocab: readonly string[],
    private readonly onSaved: (path: string, reason: string) => void,
    resumed: Resumed | null = null,
  ) {
    if (resumed) {
      this.best = resumed.best;
      this.bestPath = resumed.bestPath;
    }
  }

  /** Writes `<name>.safetensors` + `<name>.json`; `partial` marks a checkpoint inside an epoch. Returns the JSON path. */
  async save(name: string, epoch: number, reason: string, partial: CheckpointMeta["partial"] = null): Promise<string> {
    const { spec, optimizer: opt } = this;
    const isIter = spec.runner === "runner_iter";
    const [model, expAvg, expAvgSq] = await Promise.all([this.model.stateDict(), readTensors(opt.expAvg), readTensors(opt.expAvgSq)]);
    const path = saveCheckpoint(this.runDir, name, model, expAvg, expAvgSq, {
      epoch,
      iters: isIter ? (epoch + 1) * (spec.itersPerInnerEpoch ?? 0) : null,
      optimizer: { name: "adamw", step: opt.step, expAvgPrefix: "optimizer.exp_avg.", expAvgSqPrefix: "optimizer.exp_avg_sq.", hyper: { ...spec.optimizer, lr: spec.schedule.initLr } },
      rng: this.rng.state(),
      ...(this.replicaRngStates ? { replicaRng: this.replicaRngStates() } : {}),
      lrScheduler: { epoch: partial ? partial.epoch : epoch, step: partial ? partial.step : 0 },
      best: this.best,
      reason,
      vocab: [...this.vocab],
      partial,
      config: spec.config,
    });
    this.onSaved(path, reason);
    return path;
  }

  /** Loads checkpoint_best into the model for the test phase; false when there is none. */
  loadBest(): boolean {
    if (!this.bestPath) return false;
    loadInto(this.model, readCheckpoint(this.bestPath, "best checkpoint").model, this.bestPath);
    return true;
  }
}

/** Loads `tensors` into `model`: strictly for a resume, non-strictly (missing/unexpected are warnings) for initial weights. */
export function loadInto(model: Model, tensors: ReadonlyMap<string, StTensor>, path: string, strict = true, logger: Logger = silentLogger): void {
  const issues = model.loadStateDict(tensors, strict);
  if (!issues) return;
  for (const note of issues.notes ?? []) logger.info(`${path}: ${note}`);
  if (!issues.loaded) {
    const none = !strict && !issues.mismatched.length && issues.missing.length > 0;
    throw new UserError(
      none
        ? `checkpoint ${path} holds none of the ${model.arch} model's tensors (${describeIssues(issues)})${issues.notes?.length ? `; it has: ${issues.notes.join("; ")}` : ""}. Is it a checkpoint of another architecture? See docs/checkpoints.md`
        : `checkpoint ${path} does not match the model: ${describeIssues(issues)}`,
    );
  }
  if (issues.missing.length || issues.unexpected.length || issues.mismatched.length) logger.warn(`loaded ${path} non-strictly (as LAVIS): ${describeIssues(issues)}`);
}

/**
 * Loads initial weights (`model.finetuned`/`pretrained`: a lavisc checkpoint or a LAVIS state dict in safetensors)
 * into `model` as the runner does; throws an Error with the user-facing message when they do not fit.
 */
export function loadInitialWeights(model: Model, path: string, logger: Logger = silentLogger): void {
  const r = loadCheckpoint(path);
  if (!r.ok) throw new Error(`model weights: ${r.error}`);
  try {
    loadInto(model, r.ckpt.model, path, false, logger);
  } catch (e) {
    throw e instanceof UserError ? new Error(e.message) : e;
  }
}

function restoreOptimizer(opt: AdamW, ckpt: LoadedCheckpoint, path: string): void {
  const problems: string[] = [];
  for (const [target, source, label] of [[opt.expAvg, ckpt.expAvg, "exp_avg"], [opt.expAvgSq, ckpt.expAvgSq, "exp_avg_sq"]] as const) {
    for (const [name, v] of target) {
      const t = source.get(name);
      if (!t) problems.push(`missing optimizer.${label}.${name}`);
      else if (t.shape.join(",") !== v.shape.join(",")) problems.push(`optimizer.${label}.${name} has shape [${t.shape}], expected [${v.shape}]`);
    }
  }
  if (problems.length) throw new UserError(`checkpoint ${path} has an incompatible optimizer state: ${problems.slice(0, 10).join("; ")}`);
  for (const [target, source] of [[opt.expAvg, ckpt.expAvg], [opt.expAvgSq, ckpt.expAvgSq]] as const) {
    for (const [name, v] of target) tf.tidy(() => v.assign(tf.tensor(Float32Array.from(source.get(name)!.data), v.shape)));
  }
  opt.step = ckpt.meta!.optimizer.step;
}
