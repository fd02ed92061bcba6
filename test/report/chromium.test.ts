// The report's and the plan's plots as Chromium draws them: every chart has non-empty lines spanning the plot's
// width, and the values they cover, read back through the y axis, are the logged values' extent.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { renderRunReport } from "../../src/report/runReport.js";
import { renderPlanHtml } from "../../src/report/planReport.js";
import { buildPlan } from "../../src/compiler/plan.js";
import { renderPlanText } from "../../src/compiler/planText.js";
import { lowerToGraph } from "../../src/compiler/lower.js";
import { checkFile } from "../../src/index.js";
import { nodeHost } from "../../src/cli/host.js";
import { drawnRange, measureCharts, type ChartMeasure } from "../harness/chromium.js";
import { CHROMIUM, testWith } from "../harness/requires.js";
import { repoRoot } from "../harness/repoRoot.js";
import { EPOCHS, STEPS, syntheticRun } from "./syntheticRun.js";

const t = testWith(test, CHROMIUM);

function assertSpans(c: ChartMeasure, low: number, high: number, what: string): void {
  assert.ok(c.rendered.w > 100 && c.rendered.h > 50, `${what}: the svg is laid out (${JSON.stringify(c.rendered)})`);
  assert.ok(c.lines.length > 0 && c.lines.every((l) => l.n > 1), `${what}: non-empty lines`);
  const d = drawnRange(c);
  const tol = (high - low) * 0.02;
  assert.ok(Math.abs(d.low - low) <= tol && Math.abs(d.high - high) <= tol, `${what}: drawn ${d.low}..${d.high}, logged ${low}..${high}`);
  assert.ok(Math.abs(d.x0 - c.plot.x) < 1.5 && Math.abs(d.x1 - (c.plot.x + c.plot.w)) < 1.5, `${what}: lines span the plot's width`);
}

t("report.html: loss (with its components), lr and validation plots cover the logged values", () => {
  const r = syntheticRun().records;
  const charts = new Map(measureCharts(renderRunReport(r)).map((c) => [c.chart, c]));
  const losses = r.steps.flatMap((s) => Object.values(s.losses));
  const loss = charts.get("loss")!;
  assert.equal(loss.lines.map((l) => l.name).sort(), ["loss", "loss_itc", "loss_itm"]);
  assert.equal(loss.lines.map((l) => l.n), [EPOCHS * STEPS, EPOCHS * STEPS, EPOCHS * STEPS]);
  assertSpans(loss, Math.min(...losses), Math.max(...losses), "loss");
  const lrs = r.steps.map((s) => s.lr);
  assertSpans(charts.get("lr")!, Math.min(...lrs), Math.max(...lrs), "lr");
  const val = r.epochs.flatMap((e) => Object.values(e.valid["val"]!));
  assertSpans(charts.get("validation-val")!, Math.min(...val), Math.max(...val), "validation");
});

t("plan --format html: the lr schedule over every step and the epoch timeline", () => {
  const checked = checkFile(join(repoRoot(), "projects/quickstart/caption_shapes.lv"), nodeHost());
  const graph = lowerToGraph(checked.resolved!).graph;
  const run = { ...graph.run, maxEpoch: 3 };
  const g = { ...graph, run };
  const plan = buildPlan(g, { read: () => null });
  const n = 50;
  const withSteps = { ...plan, steps: { ...plan.steps!, perEpoch: n, total: n * 3 } };
  const charts = new Map(measureCharts(renderPlanHtml(withSteps, run, renderPlanText(withSteps))).map((c) => [c.chart, c]));
  const lr = charts.get("lr-schedule")!;
  assertSpans(lr, run.schedule.warmupLr, run.schedule.initLr, "lr schedule");
  assert.ok(lr.lines[0]!.n >= n * 3 - 1, "a point per step");
  assert.ok(charts.get("timeline")!.rendered.w > 100);
});

test.run();
