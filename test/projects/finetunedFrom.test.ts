// model.finetuned_from: features_shapes.lv on a fresh checkout trains the project it names first, then loads that
// run's best checkpoint; `lavisc plan` says which checkpoint it finds (or that it will be trained first).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { memoryHost } from "../../src/cli/host.js";
import { newestBestCheckpoint } from "../../src/runtime/checkpoint/newestBest.js";
import { parseLogTxt } from "../../src/report/runLogText.js";
import { repoRoot } from "../harness/repoRoot.js";

test("newestBestCheckpoint: the newest job folder (by its time id, then its _N suffix) that has checkpoint_best.json", () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-newest-"));
  try {
    assert.is(newestBestCheckpoint(join(dir, "absent")), null);
    for (const job of ["20261127101", "20261127101_1", "20261127101_10", "20261127102", "notajob"]) mkdirSync(join(dir, job));
    for (const job of ["20261127101", "20261127101_1", "20261127101_10", "notajob"]) writeFileSync(join(dir, job, "checkpoint_best.json"), "{}");
    assert.is(newestBestCheckpoint(dir), join(dir, "20261127101_10", "checkpoint_best.json"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("features_shapes.lv trains the project of finetuned_from when it has no run yet, then finds its checkpoint", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-from-"));
  try {
    const dep = join(tmp, "retrieval_dep.lv");
    const source = readFileSync(join(repoRoot(), "projects/quickstart/retrieval_shapes.lv"), "utf8");
    // retrieval_shapes.lv shortened (runner_iter for 2 steps, one validation, no test split, k_test 1), writing under the temporary folder.
    const short = source.replace(/max_epoch = \d+/, "max_epoch = 1").replace(/max_epoch = 1/, "max_epoch = 1\n    runner = \"runner_iter\"\n    max_iters = 2\n    iters_per_inner_epoch = 2").replace(/k_test = \d+/, "k_test = 1")
      .replace(/output_dir = "[^"]*"/, `output_dir = ${JSON.stringify(join(tmp, "out", "dep"))}`).replace(/test_splits = \[[^\]]*\]/, "test_splits = []");
    writeFileSync(dep, short);
    const dataRoot = join(tmp, "data");
    const args = ["--data-root", dataRoot, "--workers", "1", "--quiet", "--set", `model.finetuned_from=${JSON.stringify(dep)}`, "--set", `recipe.output_dir=${JSON.stringify(join(tmp, "out", "features"))}`];
    const project = join(repoRoot(), "projects/quickstart/features_shapes.lv");

    const plan = memoryHost({}, repoRoot());
    assert.is(await runCli(["plan", project, "--set", `model.finetuned_from=${JSON.stringify(dep)}`], plan), 0, plan.err);
    assert.match(plan.out, /best checkpoint of .*retrieval_dep\.lv.*no run of that project has written checkpoint_best\.json yet/);

    const first = memoryHost({}, repoRoot());
    assert.is(await runCli(["run", project, ...args], first), 0, first.err);
    assert.match(first.err, /no run of .*retrieval_dep\.lv has written checkpoint_best\.json .*: running it first/);
    const ckpt = newestBestCheckpoint(join(tmp, "out", "dep"));
    assert.ok(ckpt && existsSync(ckpt), "the dependency ran and chose a best checkpoint");
    const featuresRun = /^output: (.+)$/m.exec(first.out.split("\n").filter((l) => l.includes("features")).join("\n"))![1]!;
    const config = parseLogTxt(readFileSync(join(featuresRun, "log.txt"), "utf8")).config!;
    assert.is((config["model"] as Record<string, unknown>)["finetuned"], ckpt, "log.txt records the weights it loaded");

    const plan2 = memoryHost({}, repoRoot());
    assert.is(await runCli(["plan", project, "--set", `model.finetuned_from=${JSON.stringify(dep)}`], plan2), 0, plan2.err);
    assert.match(plan2.out, new RegExp(`loads weights: ${ckpt!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
