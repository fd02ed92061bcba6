// LAVIS's lr schedules as a preview (reference §c.2): the scheduler steps before every micro-batch with
// (epoch, step in epoch); warm-up runs only in epoch 0 and never continues into epoch 1.
import type { ScheduleSpec } from "../runtime/runSpec.js";

export function lrAt(s: ScheduleSpec, epoch: number, step: number): number {
  const L = s.initLr;
  if (epoch === 0) {
    const L0 = s.warmupLr >= 0 ? s.warmupLr : L;
    return Math.min(L, L0 + ((L - L0) * step) / Math.max(s.warmupSteps, 1));
  }
  switch (s.name) {
    case "linear_warmup_cosine_lr":
      return (L - s.minLr) * 0.5 * (1 + Math.cos((Math.PI * epoch) / s.maxEpoch)) + s.minLr;
    case "linear_warmup_step_lr":
      return Math.max(s.minLr, L * (s.decayRate ?? Number.NaN) ** epoch);
    case "constant_lr":
      return L;
    default:
      // A scheduler the tfjs engine does not implement (reported as LV5013): its lr is not known here.
      return Number.NaN;
  }
}

export interface EpochLr {
  readonly epoch: number;
  readonly start: number;
  /** lr of the last step of the epoch; null when the epoch's length is unknown and the lr still changes within it. */
  readonly end: number | null;
}

export interface WarmupEnd {
  /** Step of epoch 0 at which the lr reaches init_lr (= warmup_steps), or null when warm-up is cut by the end of epoch 0. */
  readonly step: number | null;
  readonly lr: number;
  /** True when epoch 0 ends before warm-up completes: the lr jumps to the epoch-1 value. */
  readonly cut: boolean | null;
}

export interface LrPreview {
  /** Every epoch up to FULL_PREVIEW of them; beyond, the first HEAD and the last TAIL (a run of 10^12 epochs is legal). */
  readonly epochs: readonly EpochLr[];
  /** Epochs between the head and the tail that `epochs` leaves out (0 when it lists them all), after `epochs[HEAD - 1]`. */
  readonly omitted: number;
  readonly warmup: WarmupEnd | null;
}

const FULL_PREVIEW = 20;
const HEAD = 10;
const TAIL = 5;

/** The epochs a preview lists: all of from..count-1, or the first HEAD and the last TAIL of them. */
function previewedEpochs(count: number, from: number): number[] {
  const all = (n: number, start: number) => Array.from({ length: n }, (_, i) => start + i);
  const n = count - from;
  return n <= FULL_PREVIEW ? all(n, from) : [...all(HEAD, from), ...all(TAIL, count - TAIL)];
}

/**
 * Start/end lr of every epoch and the end of warm-up, for `stepsPerEpoch` micro-batches per epoch (null: unknown);
 * `from`: the first epoch the run trains (a resumed run's), the warm-up shown only when that is epoch 0.
 */
export function lrPreview(s: ScheduleSpec, stepsPerEpoch: number | null, epochs = s.maxEpoch, from = 0): LrPreview {
  const N = stepsPerEpoch;
  const out: EpochLr[] = [];
  const count = Number.isFinite(epochs) ? Math.max(0, Math.ceil(epochs)) : 0;
  const first = Math.min(Math.max(0, Math.floor(from)), count);
  for (const e of previewedEpochs(count, first)) {
    const start = lrAt(s, e, 0);
    // Epochs after the first are constant. Without N, epoch 0's last lr is known only when it has no real warm-up
    // (warmup_lr = init_lr, or warm-up from below over at most one step, assuming the epoch has two steps or more).
    const L0 = s.warmupLr >= 0 ? s.warmupLr : s.initLr;
    const flat0 = L0 === s.initLr || (L0 < s.initLr && s.warmupSteps <= 1);
    const end = N !== null ? lrAt(s, e, Math.max(N - 1, 0)) : e > 0 ? start : flat0 ? s.initLr : null;
    out.push({ epoch: e, start, end });
  }
  const L0 = s.warmupLr >= 0 ? s.warmupLr : s.initLr;
  const hasWarmup = s.warmupSteps > 0 && L0 !== s.initLr;
  let warmup: WarmupEnd | null = null;
  if (hasWarmup && epochs > 0 && first === 0) {
    if (N === null) warmup = { step: s.warmupSteps, lr: lrAt(s, 0, s.warmupSteps), cut: null };
    else if (s.warmupSteps <= N - 1) warmup = { step: s.warmupSteps, lr: lrAt(s, 0, s.warmupSteps), cut: false };
    else warmup = { step: null, lr: lrAt(s, 0, Math.max(N - 1, 0)), cut: true };
  }
  return { epochs: out, omitted: count - first - out.length, warmup };
}
