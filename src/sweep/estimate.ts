// Time estimates for trials: the plan's training compute (src/compiler/trainCompute.ts) at the rate whole trials
// (evaluation and start-up included) ran on the same tfjs backend — the finished trials of this sweep, else the last
// sweeps on this machine (`$LAVISC_CACHE/throughput.json`). Without a measurement the estimate is unknown, never guessed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../storage/index.js";
import { readTrialRecord } from "./trialFolder.js";

export interface Throughput {
  readonly flopsPerSecond: number;
  /** In words: "3 trials of this sweep", "earlier sweeps on this machine (5 trials)". */
  readonly source: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function cacheFile(env: Env): string {
  return join(env["LAVISC_CACHE"] || join(homedir(), ".cache", "lavisc"), "throughput.json");
}

type Store = Record<string, { flops: number; seconds: number; trials: number }>;

function readStore(env: Env): Store {
  try {
    return JSON.parse(readFileSync(cacheFile(env), "utf8")) as Store;
  } catch {
    return {};
  }
}

/** The throughput of finished trials in `sweepDir` on `backend`, else the machine's record for it, else null. */
export function measuredThroughput(sweepDir: string | null, backend: string | null, env: Env): Throughput | null {
  if (!backend) return null;
  let flops = 0, seconds = 0, trials = 0;
  if (sweepDir && existsSync(sweepDir)) {
    for (const id of readdirSync(sweepDir)) {
      const r = readTrialRecord(join(sweepDir, id));
      if (!r || r.status !== "done" || r.backendPackage !== backend || !r.trainFlops) continue;
      flops += r.trainFlops;
      seconds += r.runs.reduce((s, x) => s + x.seconds, 0);
      trials++;
    }
  }
  if (trials && seconds > 0) return { flopsPerSecond: flops / seconds, source: `${trials} finished trial${trials === 1 ? "" : "s"} of this sweep` };
  const rec = readStore(env)[backend];
  if (rec && rec.seconds > 0) return { flopsPerSecond: rec.flops / rec.seconds, source: `earlier sweeps on this machine (${rec.trials} trial${rec.trials === 1 ? "" : "s"})` };
  return null;
}

/** Adds a finished trial to the machine's record (the last 50 trials' worth, so it follows changes of the machine). */
export function recordThroughput(env: Env, backend: string, flops: number, seconds: number): void {
  if (!(flops > 0 && seconds > 0)) return;
  const store = readStore(env);
  const prev = store[backend] ?? { flops: 0, seconds: 0, trials: 0 };
  const keep = Math.min(prev.trials, 49) / Math.max(prev.trials, 1);
  store[backend] = { flops: prev.flops * keep + flops, seconds: prev.seconds * keep + seconds, trials: Math.min(prev.trials, 49) + 1 };
  try {
    writeFileAtomic(cacheFile(env), JSON.stringify(store, null, 2) + "\n", { makeFolder: true });
  } catch {
    // A read-only cache only costs the next estimate.
  }
}

/** `1:05`, `2:03:10`. */
export function durationText(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}
