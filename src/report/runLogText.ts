// Reads a run's LAVIS-layout records back: log.txt (the resolved config, indent 4, then one json.dumps line per epoch
// and per validation) and evaluate.txt (one line per evaluation). Python's json.dumps writes NaN and Infinity, which
// JSON.parse refuses; they are read as numbers.

export interface EpochRecord {
  readonly epoch: number;
  /** The epoch's mean of every logged training value (`train_lr`, `train_loss`, …, prefix removed). */
  readonly train: Readonly<Record<string, number>>;
  /** Validation metrics per split after this epoch (`val_agg_metrics` → valid.val.agg_metrics). */
  readonly valid: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The epoch (runner_iter: iteration) of the best validation so far, as logged. */
  readonly bestEpoch: number | null;
}

export interface RunLogRecords {
  readonly config: Readonly<Record<string, unknown>> | null;
  readonly epochs: readonly EpochRecord[];
}

/** One json.dumps line; NaN, Infinity and -Infinity outside strings become numbers. */
export function parsePyJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    const marked = line.replace(/("(?:[^"\\]|\\.)*")|-?Infinity|NaN/g, (m, str: string | undefined) =>
      str ?? (m === "NaN" ? '"__NaN__"' : m.startsWith("-") ? '"__-Inf__"' : '"__Inf__"'));
    return JSON.parse(marked, (_k, v) => (v === "__NaN__" ? NaN : v === "__Inf__" ? Infinity : v === "__-Inf__" ? -Infinity : v));
  }
}

const num = (v: unknown): number | null => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v === "nan" ? NaN : null);

function splitNames(config: Readonly<Record<string, unknown>> | null): string[] {
  const run = config?.["run"];
  const v = run && typeof run === "object" ? (run as Record<string, unknown>)["valid_splits"] : null;
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : ["val"];
}

/** log.txt as records; `firstEpoch` numbers the first train line (a resumed run starts later). */
export function parseLogTxt(text: string, firstEpoch = 0): RunLogRecords {
  const lines = text.split("\n");
  let config: Record<string, unknown> | null = null;
  let i = 0;
  if (lines[0]?.startsWith("{") && lines[0].trim() === "{") {
    const end = lines.findIndex((l) => l === "}");
    if (end > 0) {
      config = JSON.parse(lines.slice(0, end + 1).join("\n")) as Record<string, unknown>;
      i = end + 1;
    }
  }
  const splits = splitNames(config).sort((a, b) => b.length - a.length);
  const epochs: { epoch: number; train: Record<string, number>; valid: Record<string, Record<string, number>>; bestEpoch: number | null }[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line.startsWith("{")) continue;
    const obj = parsePyJson(line) as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length && keys.every((k) => k.startsWith("train_"))) {
      const train: Record<string, number> = {};
      for (const k of keys) {
        const v = num(obj[k]);
        if (v !== null) train[k.slice("train_".length)] = v;
      }
      epochs.push({ epoch: firstEpoch + epochs.length, train, valid: {}, bestEpoch: null });
      continue;
    }
    const split = splits.find((s) => keys.some((k) => k.startsWith(`${s}_`)));
    const last = epochs.at(-1);
    if (!split || !last) continue;
    const metrics: Record<string, number> = {};
    for (const k of keys) {
      if (!k.startsWith(`${split}_`)) continue;
      const name = k.slice(split.length + 1), v = num(obj[k]);
      if (v === null) continue;
      if (name === "best_epoch" || name === "best_iters") last.bestEpoch = v;
      else metrics[name] = v;
    }
    last.valid[split] = metrics;
  }
  return { config, epochs };
}

export interface EvaluationRecord {
  /** The split when the line says it (captioning, classification: `{"test": {...}}`), else null (retrieval, VQA). */
  readonly split: string | null;
  readonly metrics: Readonly<Record<string, number>>;
}

/** evaluate.txt: every evaluation in order (validations, then the test splits). */
export function parseEvaluateTxt(text: string): EvaluationRecord[] {
  const out: EvaluationRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    const obj = parsePyJson(line) as Record<string, unknown>;
    const keys = Object.keys(obj);
    const nested = keys.length === 1 && obj[keys[0]!] !== null && typeof obj[keys[0]!] === "object";
    const flat = (nested ? obj[keys[0]!] : obj) as Record<string, unknown>;
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(flat)) {
      const n = num(v);
      if (n !== null) metrics[k] = n;
    }
    out.push({ split: nested ? keys[0]! : null, metrics });
  }
  return out;
}
