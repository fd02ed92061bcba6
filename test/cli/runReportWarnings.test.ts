// report.html lists every warning `lavisc run` printed, those printed before training included: the checker's and
// the graph's diagnostics (LV4082: `amp` is ignored by the tfjs engine), and the runtime's before the run folder
// exists (the backend choice: `device = "cpu"` without tfjs-node).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { prepareDataset } from "../../src/data/index.js";
import { REPORT_FILE } from "../../src/report/reportWriter.js";
import { captureHost } from "../harness/captureHost.js";
import { repoRoot } from "../harness/repoRoot.js";

/** The report's warning list, as text. */
function reportWarnings(html: string): string[] {
  const list = /<h2>Warnings<\/h2><ul>(.*?)<\/ul>/s.exec(html)?.[1] ?? "";
  const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  return [...list.matchAll(/<li>(.*?)<\/li>/gs)].map((m) => unescape(m[1]!));
}

test("a run's report lists LV4082 and every other warning the run printed before training", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-run-warnings-"));
  try {
    const dataRoot = join(tmp, "data");
    prepareDataset("shapes", { root: dataRoot, seed: 0, counts: { train: 40, val: 8, test: 8 }, imageSize: 32 });
    const out = join(tmp, "out");
    const sets = ["recipe.amp=true", 'recipe.device="cpu"', "recipe.max_epoch=1", "recipe.warmup_steps=1", "recipe.batch_size_train=4", `recipe.output_dir=${JSON.stringify(out)}`];
    const run = captureHost(repoRoot());
    const code = await runCli(["run", join(repoRoot(), "projects/quickstart/classification_shapes.lv"), "--quiet", "--workers", "0", "--data-root", dataRoot, ...sets.flatMap((s) => ["--set", s])], run);
    assert.is(code, 0, run.err);
    const [job] = readdirSync(out);
    const listed = reportWarnings(readFileSync(join(out, job!, REPORT_FILE), "utf8"));

    const amp = listed.find((w) => w.startsWith("LV4082 (run.amp): "));
    assert.ok(amp, `LV4082 is in the report: ${JSON.stringify(listed)}`);
    assert.match(amp!, /`amp` is true, but mixed precision is LAVIS's CUDA engine only; lavisc trains in fp32/);
    assert.match(amp!, /--engine lavis/, "with what to do");

    const printed = [
      ...[...run.err.matchAll(/^warning\[(\w+)\]: (.*)$/gm)].map((m) => ({ code: m[1]!, text: m[2]! })),
      ...[...run.err.matchAll(/^warning: (.*)$/gm)].map((m) => ({ code: "", text: m[1]! })),
    ];
    assert.ok(printed.some((p) => p.code === "LV4082"), run.err);
    for (const p of printed) {
      assert.ok(listed.some((w) => w.startsWith(p.code) && w.includes(p.text)), `printed "${p.code} ${p.text}" is in the report: ${JSON.stringify(listed)}`);
    }
    // Without @tensorflow/tfjs-node, device "cpu" runs wasm, a warning printed before the run folder exists.
    if (/tfjs-node is not installed/.test(run.err)) assert.ok(listed.some((w) => /tfjs-node is not installed/.test(w)), JSON.stringify(listed));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
