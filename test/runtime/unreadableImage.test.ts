// An image that cannot be read in the middle of an epoch (issue 18 §6), through the real data module: status 1 with a
// message naming the image and what to do, the checkpoint the run started from stays the one to resume from, and once
// the image is fixed the resumed run finishes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shapesRetrieval } from "./shapesRetrieval.js";
import { dataModuleFactory, runExperiment } from "../../src/runtime/index.js";
import { loadCheckpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import type { RunSpec } from "../../src/runtime/runSpec.js";
import { tinySpec, TINY_MODEL_CONFIG } from "./synthetic.js";

test("an image that turns unreadable between epochs stops the run with status 1, naming it; the run resumes once it is fixed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lavisc-badimage-"));
  const { prepared, dataset } = shapesRetrieval(dir, 3, { train: 12, val: 2, test: 2 });
  const spec = (over: Partial<RunSpec>): RunSpec => {
    const s = tinySpec(join(dir, "out"), { datasets: [dataset], validSplits: [], testSplits: [], saveLast: false, batchSizeTrain: 8, ...over });
    return { ...s, model: { ...s.model, config: { ...TINY_MODEL_CONFIG, max_txt_len: 20 } } };
  };
  const schedule = (maxEpoch: number): RunSpec["schedule"] => ({ name: "constant_lr", initLr: 1e-3, minLr: 1e-3, warmupLr: 1e-3, warmupSteps: 0, decayRate: null, maxEpoch });
  // Each run gets fresh pixel workers, whose image caches start empty.
  const run = async (over: Partial<RunSpec>) => {
    const factory = dataModuleFactory({ workers: 1 });
    try {
      return await runExperiment(spec(over), { dataFactory: factory });
    } finally {
      await factory.close();
    }
  };

  const first = await run({ maxEpoch: 1, schedule: schedule(1) });
  assert.is(first.status, 0, first.errors.join("; "));
  const ckpt = join(first.outputDir!, "checkpoint_0.json");

  const records = JSON.parse(readFileSync(prepared.files.find((f) => /train/.test(f))!, "utf8")) as { image: string }[];
  const victim = join(dataset.imageRoot, records[records.length - 1]!.image);
  copyFileSync(victim, `${victim}.good`);
  writeFileSync(victim, "this is not a PNG any more");
  const broken = await run({ maxEpoch: 2, schedule: schedule(2), resumeCkptPath: ckpt });
  assert.is(broken.status, 1);
  assert.match(broken.errors[0]!, new RegExp(`^cannot read image ${victim.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(.+\\); replace the file with a readable image, or remove its records from the annotation file\\. The last good checkpoint ${ckpt.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is intact$`));
  assert.is(broken.resumePath, ckpt);
  assert.ok(loadCheckpoint(ckpt).ok);

  copyFileSync(`${victim}.good`, victim);
  const fixed = await run({ maxEpoch: 2, schedule: schedule(2), resumeCkptPath: broken.resumePath! });
  assert.is(fixed.status, 0, fixed.errors.join("; "));
  assert.is(fixed.epochLosses.length, 1, "epoch 1 ran after the resume");
});

test.run();
