// How the runtime reports progress and messages; the CLI renders these (TTY bar, plain lines or nothing).

export interface StepProgress {
  readonly epoch: number;
  readonly step: number; // 0-based step inside the (inner) epoch
  readonly steps: number; // steps in this epoch
  /** The latest loss read from the device (losses are read once per log interval, not per step); null before the first read. */
  readonly loss: number | null;
  readonly lr: number;
  readonly itPerSec: number;
  readonly etaSec: number; // remaining time of this epoch
  /** Share (0..1) of step wall time spent waiting for the data loader so far in this epoch. */
  readonly dataWaitShare: number;
}

export interface EvalProgress {
  readonly split: string;
  readonly epoch: number | "best";
  readonly metrics: Readonly<Record<string, number>>;
}

/** The losses of steps just read from the device (in step order; every step is read, once per log interval). */
export interface LossesRead {
  readonly epoch: number;
  readonly steps: number; // steps in this epoch
  readonly read: readonly { readonly step: number; readonly loss: number; readonly lr: number }[];
}

/**
 * Where a training run is, for what a stop request does: "training" (up to the end of the last epoch) stops at the
 * next step with a resumable checkpoint; "after-training" (the test evaluation) lets the run finish.
 */
export type RunPhase = "training" | "after-training";

export interface ProgressReporter {
  /** The run left `training`: a stop request from here on is not honoured (nothing is left to resume). */
  onPhase?(phase: RunPhase): void;
  onStep?(p: StepProgress): void;
  onLosses?(p: LossesRead): void;
  onEval?(p: EvalProgress): void;
  /** Every line written to log.txt or evaluate.txt, and notable events (checkpoints, warnings). */
  onLog?(line: string): void;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined };

/** Set by the CLI's SIGINT/SIGTERM handler; the loop stops at the next step boundary. */
export interface StopSignal {
  readonly stopRequested: boolean;
}
