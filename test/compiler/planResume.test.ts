// `lavisc plan` of a resumed run (`recipe.resume_ckpt_path`) plans from the checkpoint's epoch, as the run trains:
// plan had said "loads weights: none", counted every epoch's steps and checkpoints and shown epoch 0's warm-up while
// the run started at epoch 1. A real one-epoch run writes checkpoint_0; the plan of a three-epoch resume from it is
// compared with the run that resumes. A checkpoint that is not there is an error at plan time (LV5017).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { prepareDataset } from "../../src/data/index.js";
import { captureHost } from "../harness/captureHost.js";
import { repoRoot } from "../harness/repoRoot.js";

const t = suite("plan: a resumed run");
const tmp = mkdtempSync(join(tmpdir(), "lavisc-plan-resume-"));
const dataRoot = join(tmp, "data");
prepareDataset("shapes", { root: dataRoot, seed: 0, counts: { train: 60, val: 20, test: 20 }, imageSize: 32 });
const experiment = join(repoRoot(), "projects/quickstart/classification_shapes.lv");
const args = (out: string, ...sets: string[]) =>
  [experiment, "--data-root", dataRoot, ...["recipe.warmup_steps=1", "recipe.batch_size_train=4", `recipe.output_dir=${JSON.stringify(out)}`, ...sets].flatMap((s) => ["--set", s])];
const jobDir = (out: string) => join(out, readdirSync(out)[0]!);

t("plans from the checkpoint's epoch: steps, learning rates, checkpoints, and the run trains what plan said", async () => {
  const first = join(tmp, "first");
  const r0 = captureHost(repoRoot());
  assert.is(await runCli(["run", ...args(first, "recipe.max_epoch=1"), "--workers", "0", "--quiet"], r0), 0, r0.err);
  const ckpt = join(jobDir(first), "checkpoint_0.json");

  const second = join(tmp, "second");
  const resumed = args(second, "recipe.max_epoch=3", `recipe.resume_ckpt_path=${JSON.stringify(ckpt)}`);
  const p = captureHost(repoRoot());
  assert.is(await runCli(["plan", ...resumed], p), 0, p.err);
  const perEpoch = Number(/per epoch: (\d+)/.exec(p.out)?.[1]);
  assert.ok(perEpoch > 0, p.out);
  assert.match(p.out, new RegExp(`total: ${2 * perEpoch} \\(resumes at epoch 1: 2 of 3 epochs left\\)`));
  assert.match(p.out, new RegExp(`resumes from ${ckpt.replace(/[.]/g, "\\.")} \\(epoch 0 done\\)`));
  assert.match(p.out, /loads weights: the resume checkpoint's/);
  assert.not.match(p.out, /epoch 0: start/);
  assert.match(p.out, /warm-up: epoch 0's only, done before the checkpoint resumed from/);
  assert.match(p.out, /\n  epoch 1: start /);
  const json = captureHost(repoRoot());
  assert.is(await runCli(["plan", ...resumed, "--format", "json"], json), 0, json.err);
  const plan = JSON.parse(json.out) as { steps: { total: number }; resume: { startEpoch: number; error: unknown }; storage: { checkpointFiles: number } };
  assert.is(plan.resume.startEpoch, 1);
  assert.is(plan.resume.error, null);

  const r = captureHost(repoRoot());
  assert.is(await runCli(["run", ...resumed, "--workers", "0"], r), 0, r.err);
  assert.not.match(r.err, /epoch 0 \d+\/\d+/);
  for (const e of [1, 2]) assert.match(r.err, new RegExp(`epoch ${e} ${perEpoch}/${perEpoch} `), `the run trains the steps plan counted in epoch ${e}`);
  const written = readdirSync(jobDir(second)).filter((f) => /^checkpoint_.*\.json$/.test(f));
  const epochCheckpoints = written.filter((f) => f !== "checkpoint_best.json");
  // checkpoint_best is written only if validation beats the resumed best: plan counts it as one it may write.
  assert.is(epochCheckpoints.length, plan.storage.checkpointFiles - 1, written.join(", "));
  assert.ok(written.length <= plan.storage.checkpointFiles);
});

t("a checkpoint that is not there is an error in plan, reported as missing (a .pth included)", async () => {
  const p = captureHost(repoRoot());
  assert.is(await runCli(["plan", ...args(join(tmp, "x"), "recipe.resume_ckpt_path=\"/nonexistent/ckpt.pth\"")], p), 1);
  assert.match(p.out, /resumes from \/nonexistent\/ckpt\.pth: error LV5017: `run\.resume_ckpt_path`: checkpoint \/nonexistent\/ckpt\.pth not found, so `lavisc run` would stop before training/);
  assert.not.match(p.out, /PyTorch pickle/);
  const r = captureHost(repoRoot());
  assert.is(await runCli(["run", ...args(join(tmp, "y"), "recipe.resume_ckpt_path=\"/nonexistent/ckpt.pth\""), "--workers", "0", "--quiet"], r), 1);
  assert.match(r.err, /checkpoint \/nonexistent\/ckpt\.pth not found/);
  assert.not.match(r.err, /PyTorch pickle/);
});
t.run();
