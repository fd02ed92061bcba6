// The trial table of `lavisc sweep --dry-run` and `lavisc check`: one row per trial with its swept values, its
// diagnostics count and what its plan says (steps, parameters, estimated time), as text or JSON.
import { relative } from "node:path";
import { allAxes } from "./spec.js";
import { count } from "../compiler/planText.js";
import type { CheckedSweep, TrialSummary } from "./checkSweep.js";
import { durationText, measuredThroughput, type Throughput } from "./estimate.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface TrialRow {
  readonly id: string;
  readonly values: Readonly<Record<string, string>>;
  readonly errors: number;
  readonly warnings: number;
  readonly steps: number | null;
  readonly stepsText: string;
  readonly params: number | null;
  readonly trainFlops: number | null;
  readonly estimatedSeconds: number | null;
  readonly outputDir: string | null;
}

function estimate(t: TrialSummary, rates: Map<string, Throughput | null>, sweepDir: string | null, env: Env): { seconds: number | null; rate: Throughput | null } {
  const backend = t.plan?.backendPackage ?? null;
  if (!backend || !t.plan?.trainFlops) return { seconds: null, rate: null };
  if (!rates.has(backend)) rates.set(backend, measuredThroughput(sweepDir, backend, env));
  const rate = rates.get(backend) ?? null;
  return { seconds: rate ? t.plan.trainFlops / rate.flopsPerSecond : null, rate };
}

export function trialRows(c: CheckedSweep, env: Env): { rows: TrialRow[]; rates: Map<string, Throughput | null> } {
  const rates = new Map<string, Throughput | null>();
  const rows = c.trials.map((t) => ({
    id: t.trial.id,
    values: Object.fromEntries(t.trial.picks.map((p) => [p.axis.key, p.value.text])),
    errors: t.errors,
    warnings: t.warnings,
    steps: t.plan?.stepsTotal ?? null,
    stepsText: t.plan?.stepsText ?? "-",
    params: t.plan?.params ?? null,
    trainFlops: t.plan?.trainFlops ?? null,
    estimatedSeconds: estimate(t, rates, c.sweepDir, env).seconds,
    outputDir: t.outputDir,
  }));
  return { rows, rates };
}

/** Columns padded to their widest cell. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

export function sweepHeader(c: CheckedSweep, cwd: string): string {
  const axes = c.spec.groups.map((g) => (g.zip ? `zip(${g.axes.map((a) => a.key).join(", ")})` : g.axes[0]!.key));
  const sizes = c.spec.groups.map((g) => g.axes[0]!.values.length).join(" × ");
  const notes = [
    c.filteredOut ? `${c.filteredOut} removed by the filter` : "",
    c.beyondLimit ? `limit ${c.spec.limit} reached (${c.beyondLimit} more not considered)` : "",
  ].filter(Boolean);
  const folder = c.sweepDir ? (relative(cwd, c.sweepDir).startsWith("..") ? c.sweepDir : relative(cwd, c.sweepDir) || ".") : "?";
  return `sweep of ${c.name}: ${c.trials.length} trial${c.trials.length === 1 ? "" : "s"} of ${c.combinations} combinations (${sizes}: ${axes.join(", ")})${notes.length ? `; ${notes.join("; ")}` : ""}\nfolder: ${folder}/<trial>\n`;
}

export function renderTrialTable(c: CheckedSweep, env: Env, cwd: string): string {
  const keys = allAxes(c.spec).map((a) => a.key);
  const { rows, rates } = trialRows(c, env);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const status = (r: TrialRow) => [r.errors ? plural(r.errors, "error") : "ok", ...(r.warnings ? [plural(r.warnings, "warning")] : [])].join(", ");
  const body = rows.map((r) => [
    r.id, ...keys.map((k) => r.values[k] ?? ""), status(r), r.errors ? "-" : r.stepsText, r.errors ? "-" : r.params === null ? "?" : count(r.params),
    r.errors ? "-" : r.estimatedSeconds === null ? "?" : durationText(r.estimatedSeconds),
  ]);
  let out = sweepHeader(c, cwd) + "\n" + textTable(["trial", ...keys, "check", "steps", "params", "est. time"], body);
  const measured = [...rates].filter(([, r]) => r) as [string, Throughput][];
  const unknown = rows.some((r) => !r.errors && r.estimatedSeconds === null);
  out += "\nest. time: the trial's training compute (about 6 FLOPs per parameter and token) at the rate whole trials (evaluation included) ran";
  out += measured.length ? ` in ${measured.map(([b, r]) => `${r.source} on ${b} (${(r.flopsPerSecond / 1e9).toFixed(2)} GFLOP/s)`).join("; ")}` : " before";
  out += unknown ? "; ? = no trial has run on this backend yet\n" : "\n";
  const invalid = rows.filter((r) => r.errors).length;
  out += invalid ? `\n${invalid} of ${rows.length} trials have errors: nothing runs until every trial checks.\n` : `\n${rows.length === 1 ? "the trial checks" : `all ${rows.length} trials check`}.\n`;
  return out;
}

export function trialTableJson(c: CheckedSweep, env: Env): unknown {
  const { rows } = trialRows(c, env);
  return {
    name: c.name, file: c.file, sweepDir: c.sweepDir, combinations: c.combinations, filteredOut: c.filteredOut, beyondLimit: c.beyondLimit,
    axes: c.spec.groups.map((g) => ({ zip: g.zip, keys: g.axes.map((a) => a.key), values: g.axes.map((a) => a.values.map((v) => v.text)) })),
    trials: rows,
  };
}
