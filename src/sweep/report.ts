// `sweep.json` and `sweep.html` in the sweep's folder: every trial's swept values, status, final metrics and curves.
// The best trial is chosen on the validation split's agg_metrics (what the runtime keeps as checkpoint_best), never
// on the test split, whose metrics are reported only.
import { join, relative } from "node:path";
import type { Host } from "../cli/host.js";
import { writeFileAtomic } from "../storage/index.js";
import { escapeXml, lineChart, type Series } from "../report/svgPlot.js";
import type { CheckedSweep } from "./checkSweep.js";
import { readCurve, readTrialRecord, type TrialRecord } from "./trialFolder.js";
import { textTable } from "./table.js";
import { allAxes } from "./spec.js";

export interface TrialReport {
  readonly id: string;
  readonly values: Readonly<Record<string, string>>;
  readonly folder: string;
  readonly status: TrialRecord["status"] | "pending";
  readonly record: TrialRecord | null;
}

const SELECTION = "the highest agg_metrics on the val split over the epochs (LAVIS's checkpoint_best; a tie goes to the earlier trial); test metrics are reported, never used to choose";

const num = (v: number | undefined) => (v === undefined ? "" : Number.isInteger(v) ? String(v) : v.toFixed(4));

// Nothing the user wrote is lost: sweep.json is lavisc's when its `format` says so, sweep.html when it carries
// GENERATOR_META (or starts as the reports written before that marker did).
export const SWEEP_JSON = "sweep.json";
export const SWEEP_HTML = "sweep.html";
const GENERATOR_META = '<meta name="generator" content="lavisc sweep">';
const OLD_HTML_START = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>sweep ';

export function isSweepJson(text: string): boolean {
  try {
    return (JSON.parse(text) as { format?: unknown }).format === "lavisc-sweep";
  } catch {
    return false;
  }
}

export const isSweepHtml = (text: string) => text.includes(GENERATOR_META) || text.startsWith(OLD_HTML_START);

export function writeSweepReport(host: Host, c: CheckedSweep): { summary: string; best: string | null } {
  const dir = c.sweepDir!;
  const trials: TrialReport[] = c.trials.map((t) => {
    const record = readTrialRecord(t.outputDir!);
    return { id: t.trial.id, values: Object.fromEntries(t.trial.picks.map((p) => [p.axis.key, p.value.text])), folder: t.outputDir!, status: record?.status ?? "pending", record };
  });
  const candidates = trials.filter((t) => t.status === "done" && t.record?.best);
  const best = candidates.reduce<TrialReport | null>((b, t) => (!b || t.record!.best!.aggMetrics > b.record!.best!.aggMetrics ? t : b), null);
  const keys = allAxes(c.spec).map((a) => a.key);
  const aggName = c.trials[0]?.plan?.aggMetric ?? null;

  const json = {
    format: "lavisc-sweep", version: 1, name: c.name, file: c.file, folder: dir, updated: new Date().toISOString(),
    axes: c.spec.groups.map((g) => ({ zip: g.zip, keys: g.axes.map((a) => a.key), values: g.axes.map((a) => a.values.map((v) => v.text)) })),
    selection: { split: "val", metric: "agg_metrics", aggMetrics: aggName, rule: SELECTION },
    best: best ? { trial: best.id, values: best.values, aggMetrics: best.record!.best!.aggMetrics, epoch: best.record!.best!.epoch } : null,
    trials: trials.map((t) => ({
      id: t.id, values: t.values, status: t.status, folder: t.folder, best: t.record?.best ?? null, metrics: t.record?.metrics ?? {},
      runs: t.record?.runs ?? [], errors: t.record?.errors ?? [], trainFlops: t.record?.trainFlops ?? null,
    })),
  };
  writeFileAtomic(join(dir, SWEEP_JSON), JSON.stringify(json, null, 2) + "\n", { makeFolder: true });
  writeFileAtomic(join(dir, SWEEP_HTML), html(c, trials, best, keys, aggName), { makeFolder: true });

  const testAgg = (t: TrialReport) => t.record?.metrics["test"]?.["agg_metrics"];
  const rows = trials.map((t) => [
    t.id === best?.id ? `${t.id} *` : t.id, ...keys.map((k) => t.values[k] ?? ""), t.status,
    t.record?.best ? `${num(t.record.best.aggMetrics)} (epoch ${t.record.best.epoch})` : "", num(testAgg(t)),
  ]);
  let summary = "\n" + textTable(["trial", ...keys, "status", "val agg_metrics (best)", "test agg_metrics"], rows);
  summary += best
    ? `* best: ${best.id}, chosen on ${SELECTION}\n`
    : `no best trial: ${trials.some((t) => t.status === "done") ? "no finished trial has a validation agg_metrics above 0" : "no trial has finished"}\n`;
  const rel = (p: string) => (relative(host.cwd, p).startsWith("..") ? p : relative(host.cwd, p));
  summary += `wrote ${rel(join(dir, "sweep.json"))} and ${rel(join(dir, "sweep.html"))}\n`;
  return { summary, best: best?.id ?? null };
}

function html(c: CheckedSweep, trials: readonly TrialReport[], best: TrialReport | null, keys: readonly string[], aggName: string | null): string {
  // The validation split shows its best agg_metrics; the other splits (test) every final metric.
  const splits = [...new Set(trials.flatMap((t) => Object.keys(t.record?.metrics ?? {})))].filter((s) => s !== "val").sort();
  const metricCols = splits.flatMap((s) => [...new Set(trials.flatMap((t) => Object.keys(t.record?.metrics[s] ?? {})))].map((m) => [s, m] as const));
  const e = escapeXml;
  const head = ["trial", ...keys, "status", "best val agg_metrics", "epoch", ...metricCols.map(([s, m]) => `${s} ${m}`)];
  const rows = trials.map((t) => {
    const cells = [
      t.id === best?.id ? `★ ${t.id}` : t.id, ...keys.map((k) => t.values[k] ?? ""), t.status,
      num(t.record?.best?.aggMetrics), t.record?.best ? String(t.record.best.epoch) : "",
      ...metricCols.map(([s, m]) => num(t.record?.metrics[s]?.[m])),
    ];
    return `<tr${t.id === best?.id ? ' class="best"' : ""}>${cells.map((x) => `<td>${e(x)}</td>`).join("")}</tr>`;
  });
  const curves = trials.map((t) => ({ t, curve: readCurve(t.folder) }));
  const name = (t: TrialReport) => `${t.id} ${keys.map((k) => `${k.split(".").at(-1)}=${t.values[k]}`).join(" ")}`;
  const loss: Series[] = curves.map(({ t, curve }) => ({
    name: name(t), emphasis: t.id === best?.id,
    points: curve.steps.flatMap((s) => (s.loss === null ? [] : [[s.epoch + (s.step + 1) / s.steps, s.loss] as const])),
  }));
  const val: Series[] = curves.map(({ t, curve }) => ({
    name: name(t), emphasis: t.id === best?.id,
    points: curve.evals.filter((v) => v.split === "val" && v.epoch !== "best" && v.metrics["agg_metrics"] !== undefined).map((v) => [(v.epoch as number) + 1, v.metrics["agg_metrics"]!] as const),
  }));
  const hasVal = val.some((s) => s.points.length);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${GENERATOR_META}<title>sweep ${e(c.name)}</title>
<style>
body { font-family: sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; font-size: 13px; margin: 12px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.best td { background: #fff3c4; font-weight: bold; }
p.note { color: #555; font-size: 13px; max-width: 60em; }
</style></head><body>
<h1>sweep ${e(c.name)}</h1>
<p class="note">${e(c.file)} · ${trials.length} trials · folder ${e(c.sweepDir ?? "")} · updated ${e(new Date().toISOString())}</p>
<div style="overflow-x: auto"><table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join("")}</tr></thead><tbody>
${rows.join("\n")}
</tbody></table></div>
<p class="note">${best ? `★ best trial: ${e(best.id)}, chosen on ${e(SELECTION)}.` : `No best trial is marked: ${trials.some((t) => t.status === "done") ? "no finished trial has a validation agg_metrics above 0" : "no trial has finished"} (the choice uses ${e(SELECTION)}).`}${aggName ? ` agg_metrics here is ${e(aggName)}.` : ""}</p>
${lineChart({ title: "training loss", xLabel: "epoch", yLabel: "loss", series: loss })}
${hasVal ? lineChart({ title: "validation agg_metrics (after each epoch)", xLabel: "epochs trained", yLabel: "agg_metrics", series: val, markers: true, integerX: true }) : ""}
</body></html>
`;
}
