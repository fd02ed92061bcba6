// The run's record, LAVIS's layout: log.txt (the config, then one line per epoch and per validation), evaluate.txt
// (one line per evaluation), result/ files, and the run's messages. Every line also reaches the progress reporter and
// every attached listener (a report renderer, a dashboard): this is the one place the runner writes what happened.
import { join } from "node:path";
import { writeFileAtomic } from "../../storage/index.js";
import { encodeSafetensors, type StTensor } from "../checkpoint/safetensors.js";
import { AtomicLog, resultFile } from "./outputFiles.js";
import { EVALUATE_FILE, LOG_FILE, ranksFile } from "./runFiles.js";
import { pyDumps, pyInt, type PyValue } from "./pyJson.js";
import type { Logger, ProgressReporter } from "./progress.js";
import { visibleOnOneLine } from "../../diagnostics/visible.js";

/** What a run reports as it goes; every method is optional. Listeners must not throw. */
export interface RunListener {
  /** The run directory exists and the backend is chosen (`device` says which, and why). */
  onStart?(e: { readonly runDir: string; readonly backend: string; readonly device: string }): void;
  /** One finished (inner) epoch: the mean of every logged value (lr and each loss component). */
  onTrainStats?(e: { readonly epoch: number; readonly means: Readonly<Record<string, number>> }): void;
  /** Training steps since the last report: step numbers and their losses, read from the device once per log interval. */
  onLosses?(e: { readonly epoch: number; readonly steps: readonly { readonly step: number; readonly lr: number; readonly losses: Readonly<Record<string, number>> }[] }): void;
  onEval?(e: { readonly split: string; readonly epoch: number | "best"; readonly metrics: Readonly<Record<string, number>> }): void;
  onCheckpoint?(e: { readonly path: string; readonly reason: string }): void;
  onMessage?(e: { readonly level: "info" | "warn"; readonly text: string }): void;
  /** The run ended (status as RunResult's). */
  onEnd?(e: { readonly status: number; readonly errors: readonly string[] }): void;
}

export class RunLog implements Logger {
  private readonly log: AtomicLog;
  private readonly evalLog: AtomicLog;

  constructor(
    readonly runDir: string,
    private readonly logger: Logger,
    private readonly progress: ProgressReporter | undefined,
    private readonly listeners: readonly RunListener[],
  ) {
    this.log = new AtomicLog(join(runDir, LOG_FILE));
    this.evalLog = new AtomicLog(join(runDir, EVALUATE_FILE));
  }

  info(text: string): void {
    this.logger.info(text);
    this.notify((l) => l.onMessage?.({ level: "info", text }));
  }

  warn(text: string): void {
    this.logger.warn(text);
    this.notify((l) => l.onMessage?.({ level: "warn", text }));
  }

  /** Warnings the run printed before its folder existed: the listeners get them now, without printing them again. */
  earlierWarnings(texts: readonly string[]): void {
    for (const text of texts) this.notify((l) => l.onMessage?.({ level: "warn", text }));
  }

  /** log.txt starts with the resolved config, indent 4, as LAVIS's runner writes it. */
  config(config: Readonly<Record<string, unknown>>): void {
    this.log.append(JSON.stringify(config, null, 4) + "\n");
  }

  start(backend: string, device: string, reason: string): void {
    this.info(`backend ${backend} on ${device} (${reason}); output ${visibleOnOneLine(this.runDir)}`);
    this.notify((l) => l.onStart?.({ runDir: this.runDir, backend, device }));
  }

  /** `{"train_lr": "0.000", "train_loss": "…", …}`: LAVIS's `{:.3f}` strings of the epoch means. */
  trainStats(epoch: number, means: Readonly<Record<string, number>>, format: (x: number) => string): void {
    const stats: Record<string, PyValue> = {};
    for (const [k, v] of Object.entries(means)) stats[`train_${k}`] = format(v);
    this.emit(this.log, pyDumps(stats));
    this.notify((l) => l.onTrainStats?.({ epoch, means }));
  }

  losses(epoch: number, steps: Parameters<NonNullable<RunListener["onLosses"]>>[0]["steps"]): void {
    if (steps.length) this.notify((l) => l.onLosses?.({ epoch, steps }));
  }

  /** `{"val_<metric>": …, "val_best_epoch": N}` after a validation (runner_iter: `_best_iters`). */
  validation(split: string, metrics: Readonly<Record<string, number>>, best: { readonly key: string; readonly value: number }): void {
    const line: Record<string, PyValue> = {};
    for (const [k, v] of Object.entries(metrics)) line[`${split}_${k}`] = v;
    line[`${split}_${best.key}`] = pyInt(best.value);
    this.emit(this.log, pyDumps(line));
  }

  /** One evaluate.txt line per evaluation (the task decides its shape) and the progress/listener report. */
  evaluation(split: string, epoch: number | "best", metrics: Readonly<Record<string, number>>, line: PyValue): void {
    this.emit(this.evalLog, pyDumps(line));
    this.progress?.onEval?.({ split, epoch, metrics });
    this.notify((l) => l.onEval?.({ split, epoch, metrics }));
  }

  /** result/<name>.json as LAVIS writes it (one merged file per split and epoch; a single process has no rank files). */
  result(name: string, records: readonly unknown[]): void {
    writeFileAtomic(resultFile(this.runDir, `${name}.json`), JSON.stringify(records));
  }

  /** Per-query ranks of a retrieval-scored split (lavisc's; LAVIS writes none): intervals over test items need them. */
  ranks(split: string, ranks: unknown): void {
    writeFileAtomic(resultFile(this.runDir, ranksFile(split)), JSON.stringify(ranks));
  }

  tensors(name: string, tensors: ReadonlyMap<string, StTensor>, metadata?: Record<string, string>): void {
    writeFileAtomic(resultFile(this.runDir, `${name}.safetensors`), encodeSafetensors(tensors, metadata));
  }

  checkpoint(path: string, reason: string): void {
    this.info(`saved ${visibleOnOneLine(path)}`); // a line break in output_dir stays on this line
    this.notify((l) => l.onCheckpoint?.({ path, reason }));
  }

  end(status: number, errors: readonly string[]): void {
    this.notify((l) => l.onEnd?.({ status, errors }));
  }

  private emit(target: AtomicLog, line: string): void {
    target.append(line + "\n");
    this.progress?.onLog?.(line);
  }

  private notify(call: (l: RunListener) => void): void {
    for (const l of this.listeners) call(l);
  }
}
