// LAVIS's three lr schedulers (lavis/common/optims.py). The runner calls lrAt(epoch, stepInEpoch) before every
// micro-batch's forward pass; warm-up applies only in epoch 0 and never continues into epoch 1.
import type { ScheduleSpec } from "../runSpec.js";

export function warmupLr(step: number, warmupSteps: number, startLr: number, maxLr: number): number {
  return Math.min(maxLr, startLr + ((maxLr - startLr) * step) / Math.max(warmupSteps, 1));
}

export function cosineLr(epoch: number, maxEpoch: number, initLr: number, minLr: number): number {
  return (initLr - minLr) * 0.5 * (1 + Math.cos((Math.PI * epoch) / maxEpoch)) + minLr;
}

export function stepLr(epoch: number, initLr: number, minLr: number, decayRate: number): number {
  return Math.max(minLr, initLr * decayRate ** epoch);
}

/** Returns the scheduler as a function, or a user-facing error message when the spec cannot work (as LAVIS would fail). */
export function makeLrSchedule(s: ScheduleSpec): ((epoch: number, step: number) => number) | string {
  // LAVIS: warmup_lr < 0 means "start the warm-up at init_lr".
  const start = s.warmupLr >= 0 ? s.warmupLr : s.initLr;
  const warm = (step: number) => warmupLr(step, s.warmupSteps, start, s.initLr);
  switch (s.name) {
    case "linear_warmup_cosine_lr":
      return (e, i) => (e === 0 ? warm(i) : cosineLr(e, s.maxEpoch, s.initLr, s.minLr));
    case "linear_warmup_step_lr": {
      if (s.decayRate === null) return "linear_warmup_step_lr needs run.lr_decay_rate (LAVIS fails with a TypeError without it)";
      const d = s.decayRate;
      return (e, i) => (e === 0 ? warm(i) : stepLr(e, s.initLr, s.minLr, d));
    }
    case "constant_lr":
      return (e, i) => (e === 0 ? warm(i) : s.initLr);
    default:
      return `unknown lr scheduler ${(s as ScheduleSpec).name}`;
  }
}
