// `run`, `plan` and `check` agree on which prepared data an experiment uses: a built-in dataset prepared with other
// parameters (`data prepare shapes --seed 7`) is trained on as it is, the run says which parameters it was made with,
// nothing the user put in the folder is removed, and a folder of another generator version stops the run untouched.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { prepareDataset } from "../../src/data/index.js";
import { captureHost } from "../harness/captureHost.js";
import { repoRoot } from "../harness/repoRoot.js";

const Run = suite("run: the prepared built-in data is the data that was checked");
const experiment = () => join(repoRoot(), "projects/quickstart/classification_shapes.lv");
// Not the defaults (seed 0, 640/100/100): a run that made the data again with those would train on other records.
const counts = { train: 60, val: 10, test: 10 };

function preparedSeed7(): { tmp: string; dataRoot: string; folder: string } {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-run-prepared-"));
  const dataRoot = join(tmp, "data");
  prepareDataset("shapes", { root: dataRoot, seed: 7, counts, imageSize: 32 });
  const folder = join(dataRoot, "shapes");
  writeFileSync(join(folder, "annotations", "my_captions.json"), "mine\n");
  return { tmp, dataRoot, folder };
}

Run("a seed-7 dataset is trained on as seed 7, with the record count check and plan saw, and the user's file stays", async () => {
  const { tmp, dataRoot, folder } = preparedSeed7();
  const manifest = readFileSync(join(folder, "manifest.json"));
  const sets = ["recipe.max_epoch=1", "recipe.warmup_steps=1", "recipe.batch_size_train=4", `recipe.output_dir=${JSON.stringify(join(tmp, "out"))}`].flatMap((s) => ["--set", s]);

  const plan = captureHost(repoRoot());
  assert.is(await runCli(["plan", experiment(), "--data-root", dataRoot, ...sets], plan), 0, plan.err);
  const records = Number(/shapes_classification\/train: (\d+) records/.exec(plan.out)?.[1]);
  const perEpoch = Number(/per epoch: (\d+)/.exec(plan.out)?.[1]);
  assert.ok(records > 0 && perEpoch === Math.floor(records / 4), plan.out);
  assert.match(plan.out, new RegExp(`shapes: ${folder.replace(/[.]/g, "\\.")}: prepared, used as it is \\(version 1, seed 7, counts train 60 / val 10 / test 10, imageSize 32\\)`));

  // check has no --data-root: it counts under $LAVISC_DATA.
  const check = captureHost(repoRoot());
  const saved = process.env["LAVISC_DATA"];
  process.env["LAVISC_DATA"] = dataRoot;
  try {
    assert.is(await runCli(["check", experiment(), "--set", "recipe.batch_size_train=4", "--set", "recipe.max_epoch=1", "--set", "recipe.warmup_steps=1000"], check), 0, check.err);
  } finally {
    if (saved === undefined) delete process.env["LAVISC_DATA"];
    else process.env["LAVISC_DATA"] = saved;
  }
  assert.match(check.out + check.err, new RegExp(`train: ${records} records, counted in its local annotation file`));

  const run = captureHost(repoRoot());
  assert.is(await runCli(["run", experiment(), "--workers", "0", "--data-root", dataRoot, ...sets], run), 0, run.err);
  assert.match(run.err, /using the built-in dataset shapes at \S+ as prepared \(version 1, seed 7, counts train 60 \/ val 10 \/ test 10, imageSize 32\)/);
  assert.not.match(run.err, /prepared the built-in dataset/);
  assert.match(run.err, new RegExp(`epoch 0 ${perEpoch}/${perEpoch} `), "the run took the steps the plan counted");
  assert.ok(readFileSync(join(folder, "manifest.json")).equals(manifest), "the data was not made again");
  assert.is(readFileSync(join(folder, "annotations", "my_captions.json"), "utf8"), "mine\n");
});

Run("a folder of another generator version stops the run untouched, saying how to prepare it again", async () => {
  const { dataRoot, folder } = preparedSeed7();
  const path = join(folder, "manifest.json");
  writeFileSync(path, readFileSync(path, "utf8").replace('"generatorVersion": 1', '"generatorVersion": 0'));
  const before = readFileSync(path);
  const run = captureHost(repoRoot());
  assert.is(await runCli(["run", experiment(), "--quiet", "--workers", "0", "--data-root", dataRoot], run), 1, run.err);
  assert.match(run.err, /was prepared by version 0 of the shapes generator \(seed 7, .*\), and this lavisc's is version 1.*`lavisc data prepare shapes --seed 7 --root /);
  assert.ok(readFileSync(path).equals(before));
  assert.ok(existsSync(join(folder, "images", "train", "train_000000.png")));
  assert.is(readFileSync(join(folder, "annotations", "my_captions.json"), "utf8"), "mine\n");
});

Run.run();
