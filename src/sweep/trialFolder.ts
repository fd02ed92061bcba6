// A trial's folder under the sweep's folder: the runtime's job folders (one per start: a resumed trial gets a second),
// `trial.json` (what the trial is and how it went; written atomically) and `curve.jsonl` (training loss per step and
// every evaluation, appended as they happen, for the report's plots).
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../storage/index.js";

export type TrialStatus = "running" | "done" | "interrupted" | "failed";

export interface TrialRun {
  readonly jobDir: string | null;
  readonly resumedFrom: string | null;
  readonly seconds: number;
  readonly exitCode: number;
}

export interface TrialRecord {
  readonly format: "lavisc-sweep-trial";
  readonly version: 1;
  readonly id: string;
  /** The swept values as written. */
  readonly values: Readonly<Record<string, string>>;
  /** The resolved experiment (without `run.resume_ckpt_path`): a re-run must find the same one to reuse the folder. */
  readonly config: unknown;
  readonly status: TrialStatus;
  readonly backendPackage: string | null;
  readonly trainFlops: number | null;
  readonly runs: readonly TrialRun[];
  /** The last metrics of each evaluated split (the test split's are the best checkpoint's). */
  readonly metrics: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The best validation agg_metrics and its epoch, as the runtime picks `checkpoint_best`; null without validation. */
  readonly best: { readonly aggMetrics: number; readonly epoch: number } | null;
  readonly errors: readonly string[];
}

export const TRIAL_FILE = "trial.json";
export const CURVE_FILE = "curve.jsonl";

export function readTrialRecord(dir: string): TrialRecord | null {
  try {
    const r = JSON.parse(readFileSync(join(dir, TRIAL_FILE), "utf8")) as TrialRecord;
    return r.format === "lavisc-sweep-trial" ? r : null;
  } catch {
    return null;
  }
}

/**
 * Nothing the user wrote is lost: a trial folder's files are lavisc's when its trial.json is a lavisc trial record
 * (`format`). curve.jsonl has no header of its own; lavisc writes trial.json before the first line of the curve, so a
 * curve without lavisc's trial.json beside it is someone else's. Returns the files a run would replace or append to.
 */
export function foreignTrialFiles(dir: string): string[] {
  const ours = readTrialRecord(dir) !== null;
  return ours ? [] : [TRIAL_FILE, CURVE_FILE].map((f) => join(dir, f)).filter((p) => existsSync(p));
}

/**
 * A forced run (`--force`) replaces what is not lavisc's before the trial starts: appending would mix the user's lines
 * into the curve, and a trial stopped before it starts would leave the folder as refused as before.
 */
export function removeForeignTrialFiles(dir: string): void {
  for (const path of foreignTrialFiles(dir)) rmSync(path, { force: true });
}

export function writeTrialRecord(dir: string, r: TrialRecord): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, TRIAL_FILE), JSON.stringify(r, null, 2) + "\n", { makeFolder: true });
}

/** The resolved config as compared between runs: `resume_ckpt_path` is the sweep's own bookkeeping. */
export function fingerprintConfig(plain: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(plain ?? null)) as Record<string, Record<string, unknown>> | null;
  if (copy?.["run"]) delete copy["run"]["resume_ckpt_path"];
  return copy;
}

/** Leaf paths whose values differ between two plain configs (first few). */
export function configDifferences(a: unknown, b: unknown, prefix = "", out: string[] = []): string[] {
  if (out.length >= 5) return out;
  const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === "object" && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) configDifferences(a[k], b[k], prefix ? `${prefix}.${k}` : k, out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${prefix} (${JSON.stringify(a) ?? "absent"} then, ${JSON.stringify(b) ?? "absent"} now)`);
  return out;
}

export interface ResumePoint {
  readonly path: string;
  /** The epoch the resumed run starts in and the step inside it. */
  readonly epoch: number;
  readonly step: number;
}

/**
 * The furthest complete checkpoint in any of the trial's job folders (its `.json` half is written last): an
 * interrupted one resumes inside its epoch, an epoch checkpoint at the start of the next epoch.
 */
export function resumePoint(dir: string): ResumePoint | null {
  let best: ResumePoint | null = null;
  if (!existsSync(dir)) return null;
  for (const job of readdirSync(dir).sort()) {
    const jobDir = join(dir, job);
    if (!statSync(jobDir).isDirectory()) continue;
    for (const f of readdirSync(jobDir)) {
      if (!/^checkpoint_.*\.json$/.test(f)) continue;
      let meta: { epoch?: number; partial?: { epoch: number; step: number } | null; format?: string };
      try {
        meta = JSON.parse(readFileSync(join(jobDir, f), "utf8"));
      } catch {
        continue;
      }
      if (meta.format !== "lavisc-checkpoint" || typeof meta.epoch !== "number") continue;
      const at = meta.partial ? { epoch: meta.partial.epoch, step: meta.partial.step } : { epoch: meta.epoch + 1, step: 0 };
      if (!best || at.epoch > best.epoch || (at.epoch === best.epoch && at.step > best.step)) best = { path: join(jobDir, f), ...at };
    }
  }
  return best;
}

export type CurveEntry =
  | { readonly kind: "step"; readonly epoch: number; readonly step: number; readonly steps: number; readonly loss: number | null; readonly lr: number }
  | { readonly kind: "eval"; readonly split: string; readonly epoch: number | "best"; readonly metrics: Readonly<Record<string, number>> };

export function appendCurve(dir: string, e: CurveEntry): void {
  appendFileSync(join(dir, CURVE_FILE), JSON.stringify(e) + "\n");
}

/** Every entry, later ones replacing earlier ones at the same place (a resumed epoch is recorded again). */
export function readCurve(dir: string): { steps: Extract<CurveEntry, { kind: "step" }>[]; evals: Extract<CurveEntry, { kind: "eval" }>[] } {
  let text = "";
  try {
    text = readFileSync(join(dir, CURVE_FILE), "utf8");
  } catch {
    return { steps: [], evals: [] };
  }
  const steps = new Map<string, Extract<CurveEntry, { kind: "step" }>>();
  const evals = new Map<string, Extract<CurveEntry, { kind: "eval" }>>();
  for (const line of text.split("\n")) {
    let e: CurveEntry;
    try {
      e = JSON.parse(line) as CurveEntry;
    } catch {
      continue; // an empty line, or the torn last line of a killed process
    }
    // A step is written when it ends (loss null) and again when its loss is read from the device.
    if (e.kind === "step" && (e.loss !== null || !steps.has(`${e.epoch}/${e.step}`))) steps.set(`${e.epoch}/${e.step}`, e);
    else if (e.kind === "eval") evals.set(`${e.split}/${e.epoch}`, e);
  }
  const byPlace = (a: { epoch: number | "best"; step?: number }, b: { epoch: number | "best"; step?: number }) =>
    (a.epoch === "best" ? Infinity : a.epoch) - (b.epoch === "best" ? Infinity : b.epoch) || (a.step ?? 0) - (b.step ?? 0);
  return { steps: [...steps.values()].sort(byPlace), evals: [...evals.values()].sort(byPlace) };
}

/** The best validation agg_metrics as the runtime chooses `checkpoint_best`: strictly greater, starting from 0, on `val`. */
export function bestValidation(evals: ReturnType<typeof readCurve>["evals"]): TrialRecord["best"] {
  let best: TrialRecord["best"] = null;
  for (const e of evals) {
    const m = e.metrics["agg_metrics"];
    if (e.split !== "val" || e.epoch === "best" || m === undefined) continue;
    if (m > (best?.aggMetrics ?? 0)) best = { aggMetrics: m, epoch: e.epoch };
  }
  return best;
}
