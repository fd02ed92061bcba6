// report.html of a run: a pure function of its records. Self-contained (inline CSS and SVG, no scripts, no network):
// training loss and its components and the learning rate over steps, validation metrics per epoch, evaluations,
// throughput per epoch, the resolved config with the origin of every value, backend and messages. While the run is
// going the page reloads itself every 15 seconds.
import { escapeXml, lineChart, type Series } from "./svgPlot.js";
import type { RunRecords } from "./runRecords.js";

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555}.status-running{color:#b36b00}.status-finished{color:#217a21}.status-failed,.status-stopped{color:#b00}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}.config td:nth-child(2){font-family:monospace}
.config td:nth-child(3){color:#666}.charts{display:flex;flex-wrap:wrap;gap:12px}.none{color:#777}svg{max-width:100%;height:auto}`;

const esc = escapeXml;

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : String(Number(x.toPrecision(5)));
}

function table(head: readonly string[], rows: readonly (readonly string[])[], cls = ""): string {
  if (!rows.length) return `<p class="none">none yet</p>`;
  return `<table${cls ? ` class="${cls}"` : ""}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${i > 0 && /^[-\d.e+]+$/.test(c) ? ' class="num"' : ""}>${esc(c)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

/** A chart wrapped with the name the tests and readers find it by. */
function chart(name: string, svg: string): string {
  return `<figure data-chart="${esc(name)}" style="margin:0">${svg}</figure>`;
}

function lossSeries(r: RunRecords): { series: Series[]; xLabel: string } {
  if (r.steps.length) {
    const keys = [...new Set(r.steps.flatMap((s) => Object.keys(s.losses)))];
    return {
      xLabel: "step",
      series: keys.map((k) => ({ name: k, emphasis: k === "loss", points: r.steps.filter((s) => s.losses[k] !== undefined).map((s) => [s.globalStep, s.losses[k]!] as const) })),
    };
  }
  const keys = [...new Set(r.epochs.flatMap((e) => Object.keys(e.train)))].filter((k) => k !== "lr");
  return { xLabel: "epoch", series: keys.map((k) => ({ name: `${k} (epoch mean)`, emphasis: k === "loss", points: r.epochs.filter((e) => e.train[k] !== undefined).map((e) => [e.epoch, e.train[k]!] as const) })) };
}

function lrSeries(r: RunRecords): { series: Series[]; xLabel: string } {
  if (r.steps.length) return { xLabel: "step", series: [{ name: "lr", points: r.steps.map((s) => [s.globalStep, s.lr] as const) }] };
  return { xLabel: "epoch", series: [{ name: "lr (epoch mean)", points: r.epochs.filter((e) => e.train["lr"] !== undefined).map((e) => [e.epoch, e.train["lr"]!] as const) }] };
}

function validationCharts(r: RunRecords): string[] {
  const splits = [...new Set(r.epochs.flatMap((e) => Object.keys(e.valid)))];
  return splits.map((split) => {
    const keys = [...new Set(r.epochs.flatMap((e) => Object.keys(e.valid[split] ?? {})))];
    const series: Series[] = keys.map((k) => ({
      name: k, emphasis: k === "agg_metrics",
      points: r.epochs.filter((e) => e.valid[split]?.[k] !== undefined && Number.isFinite(e.valid[split]![k]!)).map((e) => [e.epoch, e.valid[split]![k]!] as const),
    }));
    return chart(`validation-${split}`, lineChart({ title: `${split} metrics per epoch`, xLabel: "epoch", yLabel: "metric", series, markers: true, integerX: true, width: 1000 }));
  });
}

function summary(r: RunRecords): string {
  const tp = r.throughput.reduce((a, t) => ({ steps: a.steps + t.steps, seconds: a.seconds + t.seconds, samples: a.samples + t.steps * t.samplesPerStep }), { steps: 0, seconds: 0, samples: 0 });
  const rows: string[][] = [
    ["status", r.status], ["task", r.task ?? "?"], ["model", r.model ?? "?"],
    ["backend", `${r.backend ?? "?"}${r.device ? ` (${r.device})` : ""}`], ["run folder", r.runDir ?? "?"],
    ["started", r.startedAt ?? "?"], ["updated", r.updatedAt],
    ["training steps", String(tp.steps)],
  ];
  if (tp.seconds > 0) rows.push(["throughput", `${fmt(tp.steps / tp.seconds)} steps/s${tp.samples ? `, ${fmt(tp.samples / tp.seconds)} samples/s` : ""} (time in training steps only)`]);
  return table(["", ""], rows);
}

export function renderRunReport(r: RunRecords): string {
  const loss = lossSeries(r), lr = lrSeries(r);
  const evals = r.evaluations.map((e) => [e.split, String(e.epoch), Object.entries(e.metrics).map(([k, v]) => `${k} ${fmt(v)}`).join(", ")]);
  const tp = r.throughput.map((t) => [String(t.epoch), String(t.steps), t.seconds.toFixed(1), fmt(t.steps / Math.max(t.seconds, 1e-9)), t.samplesPerStep ? fmt((t.steps * t.samplesPerStep) / Math.max(t.seconds, 1e-9)) : "-"]);
  const parts = [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    r.status === "running" ? `<meta http-equiv="refresh" content="15">` : "",
    `<title>${esc(r.title)}: lavisc run report</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(r.title)}</h1>`,
    `<p class="meta"><span class="status-${r.status}">${r.status}</span> · ${esc(r.task ?? "")} · ${esc(r.model ?? "")} · ${esc(r.backend ?? "")} · updated ${esc(r.updatedAt)}</p>`,
    r.errors.length ? `<p class="status-failed">${r.errors.map(esc).join("<br>")}</p>` : "",
    `<h2>Summary</h2>${summary(r)}`,
    `<h2>Training</h2><div class="charts">`,
    chart("loss", lineChart({ title: "training loss", xLabel: loss.xLabel, yLabel: "loss", series: loss.series, width: 1000 })),
    chart("lr", lineChart({ title: "learning rate", xLabel: lr.xLabel, yLabel: "lr", series: lr.series, width: 1000 })),
    `</div>`,
    `<h2>Validation</h2><div class="charts">${validationCharts(r).join("") || `<p class="none">no validation yet</p>`}</div>`,
    `<h2>Evaluations</h2>${table(["split", "epoch", "metrics"], evals)}`,
    `<h2>Throughput</h2>${table(["epoch", "steps", "seconds", "steps/s", "samples/s"], tp)}`,
    r.messages.length ? `<h2>Warnings</h2><ul>${r.messages.map((m) => `<li>${esc(m)}</li>`).join("")}</ul>` : "",
    `<h2>Resolved config</h2>${table(["key", "value", "origin"], r.config.map((c) => [c.key, c.value, c.origin]), "config")}`,
    `</body></html>`,
  ];
  return parts.filter(Boolean).join("\n") + "\n";
}
