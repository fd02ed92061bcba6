// `lavisc plan`'s "writes" is every file a real run writes in its folder, and nothing it does not: a short
// classification run (validation, best checkpoint, result files) and a retrieval run (lavisc's ranks files) are
// compared with plan's list (--format json). Before, report.html and the ranks files were missing, and the test
// phase's result was listed as test_epoch{epoch}.json where the run writes test_epochbest.json.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
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
/**
 * A plan entry as patterns of file names: `<job_id>`, `<epoch>`, `<iters>`, `<loader_epoch>`, a checkpoint's two
 * halves; and whether it is conditional. A line for several validations ends in `(N more, ...)`.
 */
function patterns(entry: string, outputDir: string): { res: RegExp[]; optional: boolean } {
  const optional = / \(only when [^)]*\)$/.test(entry);
  const path = entry.replace(/ \((only when|\d+ more,) [^)]*\)$/, "");
  const halves = path.split(" + ");
  const dir = halves[0]!.replace(/[^/]*$/, "");
  const names = [halves[0]!, ...halves.slice(1).map((h) => dir + h)];
  const res = names.map((n) => new RegExp("^" + escape(n).replace(/<job_id>/g, "\\d+(_\\d+)?").replace(/<epoch>|<iters>|<loader_epoch>/g, "\\d+").replace(/<sha256 prefix>/g, "[0-9a-f]{16}") + "$"));
  return { res, optional };
}

async function compare(project: string, sets: string[]): Promise<string[]> {
  return (await compareRun(project, sets)).entries;
}

/** plan's list and the run's files, compared; the plan's entries and the files the run wrote (in `folder`). */
async function compareRun(project: string, sets: string[], folder = project.replace(/\W/g, "_")): Promise<{ entries: string[]; written: string[]; notes: string[] }> {
  const outputDir = join(tmp, folder);
  const args = [join(repoRoot(), project), "--data-root", dataRoot, ...[...sets, `recipe.output_dir=${JSON.stringify(outputDir)}`].flatMap((s) => ["--set", s])];
  const plan = captureHost(repoRoot());
  assert.is(await runCli(["plan", ...args, "--format", "json"], plan), 0, plan.err);
  const { files: entries, notes } = (JSON.parse(plan.out) as { outputs: { files: string[]; notes: string[] } }).outputs;
  const run = captureHost(repoRoot());
  assert.is(await runCli(["run", ...args, "--workers", "0", "--quiet"], run), 0, run.err);
  const written = filesUnder(outputDir);
  const planned = entries.map((e) => patterns(e, outputDir));
  for (const f of written) assert.ok(planned.some((p) => p.res.some((re) => re.test(f))), `${relative(outputDir, f)} is written but plan does not list it:\n${entries.join("\n")}`);
  for (const [i, p] of planned.entries()) {
    if (p.optional) continue;
    for (const re of p.res) assert.ok(written.some((f) => re.test(f)), `plan lists ${entries[i]}, which the run did not write:\n${written.join("\n")}`);
  }
  return { entries, written, notes };
}

t("classification with validation: log, report, evaluate.txt, checkpoints and result files", async () => {
  const { entries, written } = await compareRun("projects/quickstart/classification_shapes.lv", ["recipe.max_epoch=2", "recipe.warmup_steps=1", "recipe.batch_size_train=4"]);
  assert.ok(entries.some((e) => e.endsWith("/report.html")));
  assert.ok(entries.some((e) => e.endsWith("/result/test_epochbest.json")));
  // runner_base (RunnerBase.train @eb3189b): validation named by its epoch, the test of checkpoint_best "best", best_epoch.
  assert.equal(written.filter((f) => f.includes("/result/")).map((f) => f.replace(/^.*\//, "")).sort(), ["test_epochbest.json", "val_epoch0.json", "val_epoch1.json"]);
  const log = readFileSync(written.find((f) => f.endsWith("/log.txt"))!, "utf8");
  assert.match(log, /, "val_best_epoch": [01]\}\n/);
  assert.not.match(log, /best_iters/);
});
t("retrieval: the ranks files of the evaluated splits", async () => {
  const entries = await compare("projects/quickstart/retrieval_shapes.lv", ["recipe.max_epoch=1", "recipe.warmup_steps=1", "recipe.batch_size_train=8", "recipe.k_test=4"]);
  assert.ok(entries.some((e) => e.endsWith("/result/test_ranks.json")));
});
// RunnerIter.train (lavis/runners/runner_iter.py @cd4db98) validates with cur_epoch=self._progress(end_iters),
// "{train_loader.epoch}_iters={end_iters}", tests with cur_epoch=self.cur_epoch (the train loader's epoch), and logs
// best_iters; CaptionTask-style result files are "{split}_epoch{epoch}". The run had named them by inner epoch
// (val_epoch0.json, val_epoch1.json, test_epoch1.json). 30 training records in batches of 4: 7 batches a pass, which
// IterLoader counts when the 8th is drawn, so after 7 iterations its epoch is still 0 and after 14 it is 1. Plan
// counts the records too and lists those names (it had listed val_epoch<loader_epoch>_iters=<iters>.json).
const iterRun = ["recipe.runner=runner_iter", "recipe.iters_per_inner_epoch=7", "recipe.warmup_steps=1", "recipe.batch_size_train=4"];
t("runner_iter: result files and log.txt named as RunnerIter names them, and plan lists those names", async () => {
  const { entries, written } = await compareRun("projects/quickstart/classification_shapes.lv", [...iterRun, "recipe.max_iters=14"], "runner_iter");
  const planned = entries.filter((e) => e.includes("/result/")).map((e) => e.replace(/^.*\//, "")).sort();
  assert.equal(planned, ["test_epoch1.json", "val_epoch0_iters=7.json", "val_epoch1_iters=14.json"], entries.join("\n"));
  const results = written.filter((f) => f.includes("/result/")).map((f) => f.replace(/^.*\//, "")).sort();
  assert.equal(results, ["test_epoch1.json", "val_epoch0_iters=7.json", "val_epoch1_iters=14.json"]);
  const log = readFileSync(written.find((f) => f.endsWith("/log.txt"))!, "utf8");
  const validations = log.split("\n").filter((l) => l.startsWith('{"val_'));
  assert.is(validations.length, 2, log);
  for (const line of validations) assert.match(line, /, "val_best_iters": (7|14)\}$/);
  assert.not.match(log, /best_epoch/);
});
// After a resume RunnerIter's train loader is a new IterLoader (RunnerIter._load_checkpoint @cd4db98 restores the
// model, optimizer, scaler and start_iters only; IterLoader.__init__ sets `self._epoch = 0`, dataloader_utils.py
// @200ac17), so its epoch counts the passes from the resume: resumed from checkpoint_7, with 7 batches a pass, the
// validations at 14, 21 and 28 iterations are named 0, 1 and 2, and the test 2. lavisc had counted from the run's
// start (1, 2, 3: val_epoch1_iters=14.json ... test_epoch3.json). Plan lists the same names as the resumed run writes.
t("runner_iter resumed: the loader epoch in the names counts from the resume, as RunnerIter's new IterLoader does", async () => {
  const first = join(tmp, "runner_iter_first");
  const sets = [...iterRun, "recipe.max_iters=7", "recipe.valid_splits=[]", "recipe.test_splits=[]", `recipe.output_dir=${JSON.stringify(first)}`];
  const r0 = captureHost(repoRoot());
  assert.is(await runCli(["run", join(repoRoot(), "projects/quickstart/classification_shapes.lv"), "--data-root", dataRoot, ...sets.flatMap((x) => ["--set", x]), "--workers", "0", "--quiet"], r0), 0, r0.err);
  const ckpt = join(first, readdirSync(first)[0]!, "checkpoint_7.json");
  const { entries, written, notes } = await compareRun("projects/quickstart/classification_shapes.lv", [...iterRun, "recipe.max_iters=28", `recipe.resume_ckpt_path=${JSON.stringify(ckpt)}`], "runner_iter_resumed");
  const expected = ["test_epoch2.json", "val_epoch0_iters=14.json", "val_epoch1_iters=21.json", "val_epoch2_iters=28.json"];
  assert.equal(written.filter((f) => f.includes("/result/")).map((f) => f.replace(/^.*\//, "")).sort(), expected);
  assert.equal(entries.filter((e) => e.includes("/result/")).map((e) => e.replace(/^.*\//, "")).sort(), expected, entries.join("\n"));
  assert.ok(notes.some((n) => /counts the passes over the training data from this resume \(iteration 7\)/.test(n)), notes.join("\n"));
});
t.run();
