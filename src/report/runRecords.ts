// A run's records as the report draws them: plain data, filled by the run's listener as events arrive (or read back
// from log.txt/evaluate.txt), and rendered by a pure function (runReport.ts).
import type { EpochRecord } from "./runLogText.js";

export interface StepRecord {
  readonly epoch: number;
  /** Steps since the start of the run (across epochs). */
  readonly globalStep: number;
  readonly lr: number;
  /** `loss` and its components (e.g. loss_itc, loss_itm). */
  readonly losses: Readonly<Record<string, number>>;
}

export interface EvalRecord {
  readonly split: string;
  readonly epoch: number | "best";
  readonly metrics: Readonly<Record<string, number>>;
}

export interface ThroughputRecord {
  readonly epoch: number;
  readonly steps: number;
  /** Seconds spent in training steps (evaluation and checkpoints excluded). */
  readonly seconds: number;
  readonly samplesPerStep: number;
}

export interface ConfigRow {
  readonly key: string;
  readonly value: string;
  readonly origin: string;
}

export interface RunRecords {
  readonly title: string;
  readonly status: "running" | "finished" | "stopped" | "failed";
  readonly runDir: string | null;
  readonly task: string | null;
  readonly model: string | null;
  readonly backend: string | null;
  readonly device: string | null;
  readonly startedAt: string | null;
  readonly updatedAt: string;
  readonly steps: readonly StepRecord[];
  /** Epoch means and validation lines, as log.txt has them. */
  readonly epochs: readonly EpochRecord[];
  readonly evaluations: readonly EvalRecord[];
  readonly throughput: readonly ThroughputRecord[];
  readonly config: readonly ConfigRow[];
  readonly messages: readonly string[];
  readonly errors: readonly string[];
}

export function emptyRecords(title: string, updatedAt: string): RunRecords {
  return {
    title, status: "running", runDir: null, task: null, model: null, backend: null, device: null, startedAt: null, updatedAt,
    steps: [], epochs: [], evaluations: [], throughput: [], config: [], messages: [], errors: [],
  };
}

/** Flattens a config object into rows (`run.init_lr` = `0.001`), for reports read back from log.txt (no origins). */
export function configRows(config: Readonly<Record<string, unknown>>, origin = ""): ConfigRow[] {
  const rows: ConfigRow[] = [];
  const walk = (v: unknown, path: string[]) => {
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length) {
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    } else rows.push({ key: path.join("."), value: JSON.stringify(v) ?? "null", origin });
  };
  walk(config, []);
  return rows;
}
