// `lavisc plan --format html`: the plan as a self-contained page: the learning rate at every step (as the runner's
// scheduler sets it before each micro-batch), the per-epoch timeline (steps, lr, validations, checkpoints) and the
// plan's text. A pure function of the plan and the run spec.
import type { Plan } from "../compiler/plan.js";
import { lrAt } from "../compiler/schedule.js";
import { epochCheckpoint, keepsBestCheckpoint } from "../compiler/planStorage.js";
import type { RunSpec } from "../runtime/runSpec.js";
import { escapeXml as esc, lineChart, niceTicks } from "./svgPlot.js";

/** Epoch plan rows: which steps, the lr at their ends, validation and the checkpoints written after the epoch. */
export interface EpochPlan {
  readonly epoch: number;
  readonly firstStep: number;
  readonly steps: number;
  readonly lrStart: number;
  readonly lrEnd: number;
  readonly validates: boolean;
  readonly checkpoints: readonly string[];
}

/** Epochs a page lists and draws; a longer run (max_epoch can be 10^12) shows its first ones and says so. */
export const MAX_DRAWN_EPOCHS = 200;

export function epochPlans(run: RunSpec, stepsPerEpoch: number): EpochPlan[] {
  const iter = run.runner === "runner_iter";
  const hasBest = keepsBestCheckpoint(run);
  return Array.from({ length: Math.min(Math.max(0, Math.ceil(run.maxEpoch)), MAX_DRAWN_EPOCHS) }, (_, e) => {
    const validates = run.validSplits.length > 0 && (iter || e % Math.max(1, run.valFreq) === 0);
    const ckpts = [epochCheckpoint(run, e)].filter((n): n is string => n !== null);
    if (validates && hasBest) ckpts.push("checkpoint_best (if val improves)");
    return { epoch: e, firstStep: e * stepsPerEpoch, steps: stepsPerEpoch, lrStart: lrAt(run.schedule, e, 0), lrEnd: lrAt(run.schedule, e, stepsPerEpoch - 1), validates, checkpoints: ckpts };
  });
}

/**
 * (global step, lr) points, about 400 evenly spaced, plus every step of a warm-up and the ends of each epoch when
 * there are few enough of them to see; never one per step of a long run.
 */
export function lrPoints(run: RunSpec, stepsPerEpoch: number): [number, number][] {
  const total = stepsPerEpoch * Math.max(0, Math.ceil(run.maxEpoch));
  const every = Math.max(1, Math.ceil(total / 400));
  const steps = new Set<number>();
  for (let g = 0; g < total; g += every) steps.add(g);
  const epochs = Math.ceil(total / stepsPerEpoch);
  if (epochs <= 400) for (let e = 0; e < epochs; e++) steps.add(e * stepsPerEpoch).add(Math.min(total, (e + 1) * stepsPerEpoch) - 1);
  for (let i = 0; i <= Math.min(run.schedule.warmupSteps, stepsPerEpoch - 1, 400); i++) steps.add(i);
  return [...steps].filter((g) => g < total).sort((a, b) => a - b).map((g) => {
    const e = Math.floor(g / stepsPerEpoch);
    return [g, lrAt(run.schedule, e, g - e * stepsPerEpoch)];
  });
}

/** The epochs as bars on a step axis, a diamond where validation runs, a square per checkpoint. */
export function timelineSvg(epochs: readonly EpochPlan[], width = 1000): string {
  const m = { left: 64, right: 24, top: 32, bottom: 40 }, h = 130, pw = width - m.left - m.right;
  const total = epochs.reduce((n, e) => n + e.steps, 0) || 1;
  const sx = (s: number) => m.left + (s / total) * pw;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${h}" width="${width}" height="${h}" role="img" aria-label="epoch timeline" font-family="sans-serif" font-size="12">`,
    `<text x="${m.left}" y="18" font-size="14" font-weight="bold">epochs over training steps</text>`,
  ];
  const y = m.top + 8, bh = 28;
  epochs.forEach((e, k) => {
    const x0 = sx(e.firstStep), x1 = sx(e.firstStep + e.steps);
    parts.push(`<rect data-epoch="${e.epoch}" x="${x0.toFixed(1)}" y="${y}" width="${Math.max(x1 - x0, 0.5).toFixed(1)}" height="${bh}" fill="${k % 2 ? "#9ecae1" : "#6baed6"}" stroke="#fff"><title>epoch ${e.epoch}: steps ${e.firstStep}–${e.firstStep + e.steps - 1}, lr ${e.lrStart.toPrecision(3)} → ${e.lrEnd.toPrecision(3)}</title></rect>`);
    if (x1 - x0 > 40) parts.push(`<text x="${((x0 + x1) / 2).toFixed(1)}" y="${y + 18}" text-anchor="middle" fill="#fff">${e.epoch}</text>`);
    if (e.validates) parts.push(`<path data-validation="${e.epoch}" d="M${x1.toFixed(1)} ${y + bh + 4} l5 6 l-5 6 l-5 -6 z" fill="#d62728"><title>validation after epoch ${e.epoch}</title></path>`);
    e.checkpoints.forEach((c, j) => parts.push(`<rect data-checkpoint="${esc(c)}" x="${(x1 - 3).toFixed(1)}" y="${y - 10 - j * 8}" width="6" height="6" fill="#2ca02c"><title>${esc(c)}</title></rect>`));
  });
  for (const t of niceTicks(0, total, 8, 1)) parts.push(`<text x="${sx(t).toFixed(1)}" y="${h - 8}" text-anchor="middle">${t}</text>`);
  parts.push(`<text x="${width - m.right}" y="${m.top - 6}" text-anchor="end" fill="#555">◆ validation  ■ checkpoint</text>`, "</svg>");
  return parts.join("\n");
}

const fmtLr = (x: number) => (x === 0 ? "0" : x.toExponential(3));

export function renderPlanHtml(plan: Plan, run: RunSpec, planText: string): string {
  const n = plan.steps?.perEpoch ?? null;
  const body: string[] = [];
  if (plan.mode === "evaluate") body.push(`<p>Evaluation only: no training steps, no learning-rate schedule.</p>`);
  else if (n === null || n < 1) body.push(`<p>Steps per epoch are not known before the data is local (${esc(plan.steps?.perEpochText ?? "?")}), so the schedule cannot be drawn over steps.</p>`);
  else {
    const epochs = epochPlans(run, n);
    body.push(`<figure data-chart="lr-schedule" style="margin:0">${lineChart({ title: `learning rate (${run.schedule.name})`, xLabel: "step", yLabel: "lr", series: [{ name: "lr", points: lrPoints(run, n) }], width: 1000 })}</figure>`);
    const drawn = epochs.length < run.maxEpoch ? `<p>The timeline and the table show the first ${epochs.length} of ${run.maxEpoch} epochs.</p>` : "";
    body.push(`<figure data-chart="timeline" style="margin:0">${timelineSvg(epochs)}</figure>${drawn}`);
    body.push(`<table><thead><tr><th>epoch</th><th>steps</th><th>lr at first step</th><th>lr at last step</th><th>validation</th><th>checkpoints</th></tr></thead><tbody>${epochs
      .map((e) => `<tr><td>${e.epoch}</td><td>${e.firstStep}–${e.firstStep + e.steps - 1}</td><td>${fmtLr(e.lrStart)}</td><td>${fmtLr(e.lrEnd)}</td><td>${e.validates ? esc(run.validSplits.join(", ")) : ""}</td><td>${esc(e.checkpoints.join(", "))}</td></tr>`)
      .join("")}</tbody></table>`);
  }
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${esc(plan.name)}: lavisc plan</title>`,
    `<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}table{border-collapse:collapse;font-size:13px;margin-top:12px}td,th{border:1px solid #ddd;padding:3px 8px}th{background:#f4f4f4}pre{background:#f7f7f7;padding:12px;overflow:auto}svg{max-width:100%;height:auto}</style></head><body>`,
    `<h1>${esc(plan.name)}: plan</h1>`,
    ...body,
    `<h2>Plan</h2><pre>${esc(planText)}</pre>`,
    "</body></html>",
  ].join("\n") + "\n";
}
