// The run's listener that turns events into RunRecords: steps with a global step number, epoch means, evaluations,
// throughput measured between events (so evaluation and checkpoint time is not counted as training), messages.
// `onChange` is called after every event that changes what the report shows.
import type { RunRecords, StepRecord, ThroughputRecord, EvalRecord, ConfigRow } from "./runRecords.js";
import { emptyRecords } from "./runRecords.js";
import type { EpochRecord } from "./runLogText.js";

export interface RecorderOptions {
  readonly title: string;
  readonly task?: string;
  readonly model?: string;
  readonly config?: readonly ConfigRow[];
  /** Samples in one step (batch_size_train), for samples per second. */
  readonly samplesPerStep?: number;
  /** Splits validated after each epoch (run.valid_splits). */
  readonly validSplits?: readonly string[];
  /** Warnings printed before the run started (the checker's, the memory estimate, the data preflight): listed first. */
  readonly warnings?: readonly string[];
  readonly now?: () => number;
  readonly onChange?: (records: RunRecords) => void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class RunRecorder {
  private readonly r: Mutable<RunRecords>;
  private readonly now: () => number;
  private lastEvent: number;
  /** Steps of each finished or running epoch (last step + 1 seen), for global step numbers. */
  private readonly epochSteps = new Map<number, number>();

  constructor(private readonly o: RecorderOptions) {
    this.now = o.now ?? Date.now;
    this.lastEvent = this.now();
    this.r = {
      ...emptyRecords(o.title, new Date(this.lastEvent).toISOString()),
      task: o.task ?? null, model: o.model ?? null, config: o.config ?? [],
      steps: [], epochs: [], evaluations: [], throughput: [], messages: [...(o.warnings ?? [])], errors: [],
    };
  }

  get records(): RunRecords {
    return this.r;
  }

  onStart(e: { readonly runDir: string; readonly backend: string; readonly device: string }): void {
    Object.assign(this.r, { runDir: e.runDir, backend: e.backend, device: e.device, startedAt: new Date(this.now()).toISOString() });
    this.changed();
  }

  onLosses(e: { readonly epoch: number; readonly steps: readonly { readonly step: number; readonly lr: number; readonly losses: Readonly<Record<string, number>> }[] }): void {
    const t = this.now();
    const seconds = (t - this.lastEvent) / 1000;
    this.lastEvent = t;
    let before = 0;
    for (const [ep, n] of this.epochSteps) if (ep < e.epoch) before += n;
    const steps = this.r.steps as StepRecord[];
    for (const s of e.steps) {
      steps.push({ epoch: e.epoch, globalStep: before + s.step, lr: s.lr, losses: s.losses });
      this.epochSteps.set(e.epoch, Math.max(this.epochSteps.get(e.epoch) ?? 0, s.step + 1));
    }
    const tp = this.r.throughput as ThroughputRecord[];
    const last = tp.at(-1);
    if (last && last.epoch === e.epoch) tp[tp.length - 1] = { ...last, steps: last.steps + e.steps.length, seconds: last.seconds + seconds };
    else tp.push({ epoch: e.epoch, steps: e.steps.length, seconds, samplesPerStep: this.o.samplesPerStep ?? 0 });
    this.changed();
  }

  onTrainStats(e: { readonly epoch: number; readonly means: Readonly<Record<string, number>> }): void {
    this.lastEvent = this.now();
    (this.r.epochs as EpochRecord[]).push({ epoch: e.epoch, train: { ...e.means }, valid: {}, bestEpoch: null });
    this.changed();
  }

  onEval(e: { readonly split: string; readonly epoch: number | "best"; readonly metrics: Readonly<Record<string, number>> }): void {
    this.lastEvent = this.now();
    (this.r.evaluations as EvalRecord[]).push({ split: e.split, epoch: e.epoch, metrics: { ...e.metrics } });
    const ep = [...this.r.epochs].reverse().find((x) => x.epoch === e.epoch);
    if (ep && (this.o.validSplits ?? ["val"]).includes(e.split)) (ep.valid as Record<string, Readonly<Record<string, number>>>)[e.split] = { ...e.metrics };
    this.changed();
  }

  onCheckpoint(_e: { readonly path: string; readonly reason: string }): void {
    this.lastEvent = this.now();
  }

  onMessage(e: { readonly level: "info" | "warn"; readonly text: string }): void {
    if (e.level === "warn") {
      (this.r.messages as string[]).push(e.text);
      this.changed();
    }
  }

  onEnd(e: { readonly status: number; readonly errors: readonly string[] }): void {
    this.r.status = e.status === 0 ? "finished" : e.status === 130 ? "stopped" : "failed";
    this.r.errors = [...e.errors];
    this.changed();
  }

  private changed(): void {
    this.r.updatedAt = new Date(this.now()).toISOString();
    this.o.onChange?.(this.r);
  }
}
