// `lavisc plan`'s "writes" is every file a real run writes in its folder, and nothing it does not: a short
// classification run (validation, best checkpoint, result files) and a retrieval run (lavisc's ranks files) are
// compared with plan's list (--format json). Before, report.html and the ranks files were missing, and the test
// phase's result was listed as test_epoch{epoch}.json where the run writes test_epochbest.json.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { prepareDataset } from "../../src/data/index.js";
import { captureHost } from "../harness/captureHost.js";
import { repoRoot } from "../harness/repoRoot.js";

const t = suite("plan's writes: the files a run writes");
const tmp = mkdtempSync(join(tmpdir(), "lavisc-plan-outputs-"));
const dataRoot = join(tmp, "data");
prepareDataset("shapes", { root: dataRoot, seed: 0, counts: { train: 60, val: 20, test: 20 }, imageSize: 32 });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A plan entry as patterns of file names: `<job_id>`, `<epoch>`, `<iters>`, a checkpoint's two halves; and whether it is conditional. */
function patterns(entry: string, outputDir: string): { res: RegExp[]; optional: boolean } {
  const optional = / \(only when [^)]*\)$/.test(entry);
  const path = entry.replace(/ \(only when [^)]*\)$/, "");
  const halves = path.split(" + ");
  const dir = halves[0]!.replace(/[^/]*$/, "");
  const names = [halves[0]!, ...halves.slice(1).map((h) => dir + h)];
  const res = names.map((n) => new RegExp("^" + escape(n).replace(/<job_id>/g, "\\d+(_\\d+)?").replace(/<epoch>|<iters>/g, "\\d+").replace(/<sha256 prefix>/g, "[0-9a-f]{16}") + "$"));
  return { res, optional };
}

async function compare(project: string, sets: string[]): Promise<string[]> {
  const outputDir = join(tmp, project.replace(/\W/g, "_"));
  const args = [join(repoRoot(), project), "--data-root", dataRoot, ...[...sets, `recipe.output_dir=${JSON.stringify(outputDir)}`].flatMap((s) => ["--set", s])];
  const plan = captureHost(repoRoot());
  assert.is(await runCli(["plan", ...args, "--format", "json"], plan), 0, plan.err);
  const entries = (JSON.parse(plan.out) as { outputs: { files: string[] } }).outputs.files;
  const run = captureHost(repoRoot());
  assert.is(await runCli(["run", ...args, "--workers", "0", "--quiet"], run), 0, run.err);
  const written = filesUnder(outputDir);
  const planned = entries.map((e) => patterns(e, outputDir));
  for (const f of written) assert.ok(planned.some((p) => p.res.some((re) => re.test(f))), `${relative(outputDir, f)} is written but plan does not list it:\n${entries.join("\n")}`);
  for (const [i, p] of planned.entries()) {
    if (p.optional) continue;
    for (const re of p.res) assert.ok(written.some((f) => re.test(f)), `plan lists ${entries[i]}, which the run did not write:\n${written.join("\n")}`);
  }
  return entries;
}

t("classification with validation: log, report, evaluate.txt, checkpoints and result files", async () => {
  const entries = await compare("projects/quickstart/classification_shapes.lv", ["recipe.max_epoch=2", "recipe.warmup_steps=1", "recipe.batch_size_train=4"]);
  assert.ok(entries.some((e) => e.endsWith("/report.html")));
  assert.ok(entries.some((e) => e.endsWith("/result/test_epochbest.json")));
});
t("retrieval: the ranks files of the evaluated splits", async () => {
  const entries = await compare("projects/quickstart/retrieval_shapes.lv", ["recipe.max_epoch=1", "recipe.warmup_steps=1", "recipe.batch_size_train=8", "recipe.k_test=4"]);
  assert.ok(entries.some((e) => e.endsWith("/result/test_ranks.json")));
});
t.run();
