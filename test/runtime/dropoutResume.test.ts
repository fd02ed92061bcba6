// With dropout and drop-path on, a run is the same for the same seed, and a resumed run (from an epoch's checkpoint,
// or from the checkpoint a stop request writes mid-epoch) gives the uninterrupted run's next losses: the masks come
// from the step RNG the checkpoint holds.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runExperiment, type RunResult } from "../../src/runtime/index.js";
import type { RunSpec } from "../../src/runtime/runSpec.js";
import { modelConfigOf, retrievalScoreFillOf } from "../harness/modelConfig.js";
import { syntheticFactory, tinySpec, TINY_MODEL_CONFIG } from "./synthetic.js";

const root = mkdtempSync(join(tmpdir(), "lavisc-dropout-"));
let n = 0;

const config = modelConfigOf({
  ...(TINY_MODEL_CONFIG as { arch: string; model_type: string }), text_hidden_dropout: 0.2, text_attention_dropout: 0.2, vit_drop_path: 0.2,
});
const schedule = (maxEpoch: number): RunSpec["schedule"] => ({ name: "linear_warmup_cosine_lr", initLr: 2e-3, minLr: 1e-5, warmupLr: 1e-4, warmupSteps: 3, decayRate: null, maxEpoch });

async function train(over: Partial<RunSpec>, stopAfterSteps?: number): Promise<RunResult> {
  const stop = { stopRequested: false };
  let steps = 0;
  const spec = tinySpec(join(root, `run${n++}`), {
    maxEpoch: 3, schedule: schedule(3), validSplits: [], testSplits: [], saveLast: false,
    model: { arch: "blip_retrieval", modelType: "tiny", config, loadWeights: null, ...retrievalScoreFillOf("blip_retrieval") }, config: { model: config, run: { task: "retrieval", seed: 42 } },
    ...over,
  });
  const r = await runExperiment(spec, {
    dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }),
    now: () => new Date(2024, 0, 18, 14, 37),
    stopSignal: stop,
    progress: { onStep: () => { if (stopAfterSteps !== undefined && ++steps >= stopAfterSteps) stop.stopRequested = true; } },
  });
  return r;
}

let reference: RunResult;

test("with dropout the same seed gives the same losses, another seed others", async () => {
  reference = await train({});
  assert.is(reference.status, 0, reference.errors.join("; "));
  const again = await train({});
  assert.equal(again.epochLosses, reference.epochLosses);
  const other = await train({ seed: 7 });
  assert.not.equal(other.epochLosses, reference.epochLosses);
  const without = await train({ config: { model: TINY_MODEL_CONFIG, run: { task: "retrieval", seed: 42 } }, model: { arch: "blip_retrieval", modelType: "tiny", config: TINY_MODEL_CONFIG, loadWeights: null, ...retrievalScoreFillOf("blip_retrieval") } });
  assert.not.equal(without.epochLosses, reference.epochLosses, "the rates reach the training forward pass");
});

test("with dropout, resuming from checkpoint_0 gives the uninterrupted run's later losses", async () => {
  const r = await train({ resumeCkptPath: join(reference.outputDir!, "checkpoint_0.json") });
  assert.is(r.status, 0, r.errors.join("; "));
  assert.equal(r.epochLosses, reference.epochLosses.slice(1));
});

test("with dropout, a run stopped mid-epoch resumes to the uninterrupted run's losses", async () => {
  const stopped = await train({}, 6);
  assert.is(stopped.status, 130);
  const r = await train({ resumeCkptPath: stopped.resumePath! });
  assert.is(r.status, 0, r.errors.join("; "));
  assert.equal(r.epochLosses, reference.epochLosses.slice(1));
});

test.run();
