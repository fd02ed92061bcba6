// Dropout and drop-path with run.world_size = 2 (replicas in worker threads): each rank draws its masks from its own
// step RNG (seed + rank, LAVIS's setup_seeds), so two runs with the same seed give the same losses bit for bit, the
// rates change the losses (the replicas' forward passes drop), and rank 1 draws as many masks as rank 0 from its own
// stream, not rank 0's masks. The quickstart classifier otherwise draws nothing at random (blip_image_eval for
// training, no sampled negatives), so its step streams move by the masks alone.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeHost } from "../../src/cli/host.js";
import { checkFile } from "../../src/index.js";
import { lowerToGraph, runSpecOf } from "../../src/compiler/lower.js";
import { prepareDataset } from "../../src/data/index.js";
import { runExperiment, type RunResult } from "../../src/runtime/train/runExperiment.js";
import { dataModuleFactory } from "../../src/runtime/train/dataModuleFactory.js";
import type { RunSpec } from "../../src/runtime/runSpec.js";
import { stepRng, type RngState } from "../../src/runtime/train/rng.js";
import { repoRoot } from "../harness/repoRoot.js";

const tmp = mkdtempSync(join(tmpdir(), "lavisc-ddp-dropout-"));
const dataRoot = join(tmp, "data");
prepareDataset("shapes", { root: dataRoot });
const RATES = ["model.text_hidden_dropout=0.2", "model.text_attention_dropout=0.2", "model.vit_drop_path=0.2"];
let runs = 0;

/** The quickstart classifier at world_size 2, 4 steps of 2 x 4 images, with the rates set (or the tiny type's 0). */
function spec(rates: readonly string[]): RunSpec {
  const checked = checkFile(join(repoRoot(), "projects/quickstart/classification_shapes.lv"), nodeHost(), { sets: [...rates], options: [] });
  const base = runSpecOf(lowerToGraph(checked.resolved!, { dataRoot }).graph);
  return {
    ...base, backend: "wasm", runner: "runner_iter", maxIters: 4, itersPerInnerEpoch: 4, batchSizeTrain: 4, worldSize: 2,
    validSplits: [], testSplits: [], saveLast: true, logFreq: 1, outputDir: join(tmp, `run${runs++}`),
  };
}

async function train(s: RunSpec): Promise<{ result: RunResult; steps: number[]; meta: { rng: RngState; replicaRng?: RngState[] } }> {
  const data = dataModuleFactory({ workers: 0 });
  const steps: number[] = [];
  const progress = { onLosses: (r: { readonly read: readonly { readonly loss: number }[] }) => steps.push(...r.read.map((x) => x.loss)) };
  try {
    const result = await runExperiment(s, { dataFactory: data, progress, now: () => new Date(2026, 0, 1) });
    assert.is(result.status, 0, result.errors.join("; "));
    const dir = join(s.outputDir, readdirSync(s.outputDir)[0]!);
    const file = readdirSync(dir).find((f) => f.startsWith("checkpoint") && f.endsWith(".json"))!;
    return { result, steps, meta: JSON.parse(readFileSync(join(dir, file), "utf8")) };
  } finally {
    await data.close();
  }
}

/** How many draws take rank `rank`'s fresh step stream to `state` (null: none within `limit`). */
function drawsTo(seed: number, rank: number, state: RngState, limit = 200_000): number | null {
  const r = stepRng(seed, rank);
  for (let n = 0; n <= limit; n++, r.nextUint32()) if (r.state().every((x, i) => x === state[i])) return n;
  return null;
}

test("2 replicas with dropout: the same seed gives the same losses, rates 0 others; each rank masks from its own stream", async () => {
  const dropped = spec(RATES);
  assert.equal([dropped.model.config["text_hidden_dropout"], dropped.model.config["vit_drop_path"]], [0.2, 0.2]);
  const a = await train(dropped);
  const b = await train(spec(RATES));
  const none = await train(spec([]));
  assert.is(a.steps.length, 4);
  assert.equal(b.steps, a.steps, "two 2-replica runs with dropout give identical losses");
  assert.is(none.steps.length, 4);
  assert.ok(a.steps.every((l, i) => l !== none.steps[i]), `dropout changes every step's loss: ${a.steps} vs ${none.steps}`);

  // Without dropout neither rank draws; with it, rank 0 (`rng`) and rank 1 (`replicaRng`) have drawn the same number
  // of masks, each from its own seed + rank stream: rank 1's masks are not rank 0's.
  const seed = dropped.seed;
  assert.equal([drawsTo(seed, 0, none.meta.rng), drawsTo(seed, 1, none.meta.replicaRng![0]!)], [0, 0]);
  const masks = drawsTo(seed, 0, a.meta.rng);
  assert.ok(masks !== null && masks > 0, `rank 0 drew ${masks} masks`);
  assert.is(drawsTo(seed, 1, a.meta.replicaRng![0]!), masks, "rank 1 drew as many masks, from stream seed + 1");
  assert.not.equal(a.meta.replicaRng![0], a.meta.rng);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
