import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, existsSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderRunReport } from "../../src/report/runReport.js";
import { reportWriter, REPORT_FILE } from "../../src/report/reportWriter.js";
import { configRows } from "../../src/report/runRecords.js";
import { EPOCHS, STEPS, syntheticRun } from "./syntheticRun.js";

test("the recorder numbers steps across epochs and measures throughput between events", () => {
  const r = syntheticRun().records;
  assert.is(r.steps.length, EPOCHS * STEPS);
  assert.equal(r.steps.map((s) => s.globalStep), Array.from({ length: EPOCHS * STEPS }, (_, i) => i));
  assert.equal(r.throughput.map((t) => [t.epoch, t.steps, t.seconds]), [[0, 40, 8], [1, 40, 8], [2, 40, 8]]);
  assert.equal(r.epochs.map((e) => e.valid["val"]?.["agg_metrics"]), [20, 26, 32]);
  assert.is(r.status, "finished");
  assert.equal(r.messages, ["a <warning> & more"]);
});

test("report.html is self-contained: no scripts, no external resources, text escaped", () => {
  const html = renderRunReport(syntheticRun().records);
  assert.not.match(html, /<script|<link|<img|src=|@import|url\(/i);
  assert.is([...html.matchAll(/https?:\/\/[^"]+/g)].filter((m) => m[0] !== "http://www.w3.org/2000/svg").length, 0);
  assert.match(html, /a &lt;warning&gt; &amp; more/);
  for (const chart of ["loss", "lr", "validation-val"]) assert.match(html, new RegExp(`data-chart="${chart}"`));
  assert.match(html, /set at projects\/quickstart\/retrieval_shapes\.lv:24/);
  assert.match(html, /5 steps\/s, 160 samples\/s/);
  assert.not.match(html, /http-equiv="refresh"/); // finished: no reloading
});

test("a running report reloads itself; one read back from log.txt plots epoch means", () => {
  const rec = syntheticRun();
  const running = renderRunReport({ ...rec.records, status: "running" });
  assert.match(running, /http-equiv="refresh"/);
  const fromLog = renderRunReport({ ...rec.records, steps: [], config: configRows({ run: { init_lr: 0.001 } }) });
  assert.match(fromLog, /loss \(epoch mean\)/);
  assert.match(fromLog, /run\.init_lr/);
});

test("the writer replaces report.html at every change, and a failed write is reported once without stopping the run", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-report-"));
  try {
    const warnings: string[] = [];
    const w = reportWriter({ title: "t", warn: (m) => warnings.push(m) });
    w.onStart({ runDir: dir, backend: "wasm", device: "wasm" });
    assert.ok(existsSync(join(dir, REPORT_FILE)));
    w.onLosses({ epoch: 0, steps: [{ step: 0, lr: 1e-3, losses: { loss: 2 } }] });
    assert.match(readFileSync(join(dir, REPORT_FILE), "utf8"), /running/);
    if (process.getuid?.() !== 0) {
      chmodSync(dir, 0o500);
      w.onLosses({ epoch: 0, steps: [{ step: 1, lr: 1e-3, losses: { loss: 1.9 } }] });
      w.onEnd({ status: 0, errors: [] });
      chmodSync(dir, 0o700);
      assert.is(warnings.length, 1);
      assert.match(warnings[0]!, /report\.html/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
