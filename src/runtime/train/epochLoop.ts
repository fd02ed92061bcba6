// The runner's epoch loop (RunnerBase.train / RunnerIter): per (inner) epoch the training steps, the epoch's log
// line, validation with best-checkpoint selection on "val", and the checkpoint cadence; stop requests end in a
// resumable checkpoint_interrupted, a non-finite loss ends the run. Losses are read from the device once per log
// interval (run.log_freq steps), at the end of an epoch and before a checkpoint, never inside a step.
import { throwIfGpuFailed } from "../backend/webgpuErrors.js";
import type { RunSpec } from "../runSpec.js";
import type { Model } from "../models/index.js";
import type { AdamW } from "../optim/adamW.js";
import type { BatchSource } from "./dataFactory.js";
import type { Rng } from "./rng.js";
import type { ProgressReporter, StopSignal } from "./progress.js";
import type { RunLog } from "./runLog.js";
import type { Checkpointer, StartPosition } from "./checkpointing.js";
import type { Evaluator } from "./evaluation.js";
import { EpochMeters } from "./epochMeters.js";
import { GradientAccumulator, trainStep } from "./trainStep.js";
import type { GradientReducer } from "../replicas/gradientReducer.js";
import { fmt3 } from "./outputFiles.js";
import { UserError } from "./userError.js";
import { evaluationName, INTERRUPTED_CHECKPOINT, type EvaluationPlace } from "./runFiles.js";
import { loaderEpoch, validatesAfter } from "../innerEpochs.js";

export interface EpochLoopParts {
  readonly spec: RunSpec;
  readonly model: Model;
  readonly optimizer: AdamW;
  readonly rng: Rng;
  readonly source: BatchSource;
  readonly schedule: (epoch: number, step: number) => number;
  readonly stepsPerEpoch: number;
  /** Batches of one pass of the train loader (null: it counts none), for the runner's evaluation names. */
  readonly batchesPerPass: number | null;
  /** Iterations done before the train loader drew its first batch (a resume's: `../innerEpochs.ts` loaderStartIters). */
  readonly loaderStart: number;
  readonly maxEpoch: number;
  readonly log: RunLog;
  readonly checkpoints: Checkpointer;
  readonly evaluator: Evaluator;
  readonly progress?: ProgressReporter;
  readonly stopSignal?: StopSignal;
  /** Data-parallel replicas: every micro-batch's gradients are averaged with theirs (rank 0 runs this loop). */
  readonly reducer?: GradientReducer;
}

export type LoopOutcome =
  | { readonly kind: "done"; readonly lastEpoch: number }
  | { readonly kind: "stopped"; readonly resumePath: string }
  | { readonly kind: "failed"; readonly error: string };

type EpochOutcome = { kind: "done"; means: Record<string, number> } | { kind: "stopped"; step: number; meters: EpochMeters } | { kind: "failed"; error: string };


export class EpochLoop {
  private readonly isIter: boolean;
  private readonly accum: number;
  /** Steps between loss reads (LAVIS's log_freq). */
  private readonly readEvery: number;

  /** Mean loss of every finished epoch, in order. */
  readonly epochLosses: number[] = [];

  constructor(private readonly p: EpochLoopParts) {
    this.isIter = p.spec.runner === "runner_iter";
    this.accum = Math.max(1, p.spec.accumGradIters);
    this.readEvery = Math.max(1, p.spec.logFreq ?? 50);
  }

  async run(start: StartPosition): Promise<LoopOutcome> {
    const { spec, maxEpoch, checkpoints } = this.p;
    let lastEpoch = start.epoch;
    for (let epoch = start.epoch; epoch < maxEpoch; epoch++) {
      lastEpoch = epoch;
      const first = epoch === start.epoch;
      const outcome = await this.trainEpoch(epoch, first ? start.skipSteps : 0, new EpochMeters(first ? start.meters : null));
      if (outcome.kind === "failed") return outcome;
      if (outcome.kind === "stopped") {
        const partial = { epoch, step: outcome.step, meters: outcome.meters.snapshot() };
        const resumePath = await checkpoints.save(INTERRUPTED_CHECKPOINT, epoch - 1, "interrupt", partial);
        this.p.log.warn(`stopped on request at epoch ${epoch}, step ${outcome.step}; resume with run.resume_ckpt_path=${resumePath}`);
        return { kind: "stopped", resumePath };
      }
      this.p.log.trainStats(epoch, outcome.means, fmt3);
      this.epochLosses.push(outcome.means["loss"] ?? NaN);
      const validate = validatesAfter(spec, epoch);
      if (validate) await this.validate(epoch);
      await this.saveEpochCheckpoints(epoch, validate, start);
    }
    if (this.savesLast(start)) await checkpoints.save(`checkpoint_${lastEpoch}`, lastEpoch, "last");
    // A stop asked for during the last epoch's final steps or its validation is honoured here, before the test phase.
    if (this.p.stopSignal?.stopRequested) return this.stopAfterTraining(start);
    this.p.progress?.onPhase?.("after-training");
    return { kind: "done", lastEpoch };
  }

  /** checkpoint_interrupted after the last epoch: resuming from it trains nothing and runs the test phase. */
  private async stopAfterTraining(start: StartPosition): Promise<LoopOutcome> {
    const finished = Math.max(start.epoch, this.p.maxEpoch) - 1;
    const resumePath = await this.p.checkpoints.save(INTERRUPTED_CHECKPOINT, finished, "interrupt");
    this.p.log.warn(`stopped on request after training (the last epoch, ${finished}, is done), before the test evaluation; resume with run.resume_ckpt_path=${resumePath} to run it`);
    return { kind: "stopped", resumePath };
  }

  /**
   * Where the run is after (inner) epoch `epoch` (the last one when it is past the end: a resume that trains nothing),
   * for the runner's evaluation names (RunSpec.evaluationNames).
   */
  placeAfter(epoch: number): EvaluationPlace {
    const { stepsPerEpoch, batchesPerPass, maxEpoch, loaderStart } = this.p;
    const iters = (Math.min(epoch, maxEpoch - 1) + 1) * stepsPerEpoch;
    return { epoch, iters, loaderEpoch: loaderEpoch(iters - loaderStart, batchesPerPass) };
  }

  /**
   * Validation splits, each named as the runner names it; a strictly better agg_metrics on the runner's best split
   * ("val") writes checkpoint_best, and log.txt's line records the best as the runner does (`best_epoch`, `best_iters`).
   */
  private async validate(epoch: number): Promise<void> {
    const { spec, evaluator, checkpoints, log } = this.p;
    const names = spec.evaluationNames;
    const place = this.placeAfter(epoch);
    for (const split of spec.validSplits) {
      const m = await evaluator.evaluate(split, epoch, evaluationName(names.validation, place));
      if (!m) continue;
      if (!("agg_metrics" in m)) throw new UserError(`no agg_metrics found in the ${split} evaluation`);
      if (m["agg_metrics"]! > checkpoints.best.aggMetrics && split === (spec.bestSplit ?? "val")) {
        checkpoints.best = { aggMetrics: m["agg_metrics"]!, epoch: Number(evaluationName(names.bestValue, place)) };
        checkpoints.bestPath = await checkpoints.save("checkpoint_best", epoch, "best");
      }
      log.validation(split, m, { key: names.bestKey, value: checkpoints.best.epoch });
    }
  }

  /** run.save_last (runner_base): checkpoint_<last epoch> once the loop is done, when it trained at all. */
  private savesLast(start: StartPosition): boolean {
    return this.p.spec.saveLast && !this.isIter && this.p.maxEpoch > start.epoch;
  }

  private async saveEpochCheckpoints(epoch: number, validated: boolean, start: StartPosition): Promise<void> {
    const { spec, checkpoints } = this.p;
    // save_last writes this same checkpoint_<epoch> right after the last epoch (LAVIS saves it twice): once is enough.
    if (epoch === this.p.maxEpoch - 1 && this.savesLast(start)) return;
    // RunnerIter.train: checkpoint_<end_iters> only after an inner epoch without validation (no valid_splits).
    if (this.isIter) {
      if (!validated) await checkpoints.save(`checkpoint_${(epoch + 1) * (spec.itersPerInnerEpoch ?? 0)}`, epoch, "epoch");
      return;
    }
    // Once, when both hold (an epoch without validation whose number is a multiple of save_freq).
    if (!validated || (spec.saveFreq > 0 && epoch % spec.saveFreq === 0)) await checkpoints.save(`checkpoint_${epoch}`, epoch, "epoch");
  }

  /** The steps of one epoch from step `skip` on (earlier batches are drawn and dropped, so the data order resumes exactly). */
  private async trainEpoch(epoch: number, skip: number, meters: EpochMeters): Promise<EpochOutcome> {
    const { model, optimizer, rng, source, schedule, stepsPerEpoch, log, progress, stopSignal } = this.p;
    const it = source.batches(epoch, stepsPerEpoch, this.isIter)[Symbol.asyncIterator]();
    const acc = new GradientAccumulator();
    const started = performance.now();
    let waitMs = 0;
    let lastLoss: number | null = null;
    const read = async (): Promise<string | null> => {
      const bad = await meters.flush((steps) => {
        if (steps.length) lastLoss = steps[steps.length - 1]!.losses["loss"]!;
        log.losses(epoch, steps);
        if (steps.length) progress?.onLosses?.({ epoch, steps: stepsPerEpoch, read: steps.map((s) => ({ step: s.step, loss: s.losses["loss"]!, lr: s.lr })) });
      });
      return bad && `loss is ${bad.loss} at epoch ${epoch}, step ${bad.step}; the run stopped and the last good checkpoint is kept (lower the learning rate or check the data)`;
    };
    try {
      let done = skip;
      for (let i = 0; i < stepsPerEpoch; i++) {
        if (i >= skip && i % this.accum === 0 && stopSignal?.stopRequested) {
          const bad = await read();
          return bad ? { kind: "failed", error: bad } : { kind: "stopped", step: done, meters };
        }
        const w0 = performance.now();
        const next = await it.next();
        waitMs += performance.now() - w0;
        if (next.done) break;
        const batch = next.value;
        if (i < skip) {
          batch.image.dispose();
          continue;
        }
        const lr = schedule(epoch, i); // LAVIS steps the scheduler before the forward pass
        try {
          const losses = trainStep(model, optimizer, acc, batch, { epoch, iters: i, itersPerEpoch: stepsPerEpoch, rng }, lr, this.accum, this.p.reducer);
          meters.add(i, lr, losses);
        } finally {
          batch.image.dispose();
        }
        done = i + 1;
        if (meters.pendingSteps >= this.readEvery) {
          const bad = await read();
          if (bad) return { kind: "failed", error: bad };
        }
        const elapsed = (performance.now() - started) / 1000;
        const itPerSec = (i + 1 - skip) / Math.max(elapsed, 1e-9);
        progress?.onStep?.({
          epoch, step: i, steps: stepsPerEpoch, loss: lastLoss, lr, itPerSec,
          etaSec: (stepsPerEpoch - i - 1) / Math.max(itPerSec, 1e-9), dataWaitShare: waitMs / Math.max(elapsed * 1000, 1e-9),
        });
        await new Promise((r) => setImmediate(r)); // lets signal handlers set stopRequested between steps
        throwIfGpuFailed(`in epoch ${epoch}, step ${i + 1} of ${stepsPerEpoch}`); // at its step, not at the next loss read
      }
      const bad = await read();
      return bad ? { kind: "failed", error: bad } : { kind: "done", means: meters.means() };
    } finally {
      acc.dispose(); // an incomplete accumulation at the epoch end is dropped
      meters.dispose();
      await it.return?.(undefined);
    }
  }
}
