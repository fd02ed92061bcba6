// Helpers of the WebGPU parity tests: is an adapter there (CI must have one: .ci/run installs Mesa's GLES driver),
// one training step on a backend, and a short `lavisc run` on a backend.
import * as tf from "@tensorflow/tfjs";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../../src/cli/main.js";
import { memoryHost, nodeHost } from "../../../src/cli/host.js";
import { checkFile } from "../../../src/index.js";
import { lowerToGraph, runSpecOf } from "../../../src/compiler/lower.js";
import { initBackend, probeDevices } from "../../../src/runtime/backend/initBackend.js";
import { createModel, modelTextSettings } from "../../../src/runtime/models/index.js";
import type { TrainBatch } from "../../../src/runtime/models/model.js";
import { WordPieceTokenizer } from "../../../src/runtime/nn/tokenizer.js";
import { dataModuleFactory } from "../../../src/runtime/train/dataModuleFactory.js";
import { chooseVocabulary, trainingSplits } from "../../../src/runtime/train/vocabulary.js";
import { microBatchGradients } from "../../../src/runtime/train/trainStep.js";
import { Rng } from "../../../src/runtime/train/rng.js";
import type { RunSpec } from "../../../src/runtime/runSpec.js";
import { repoRoot } from "../../harness/repoRoot.js";

/** Why WebGPU cannot be tested here, or null when an adapter (hardware or software) is there. */
export async function webgpuUnavailable(): Promise<string | null> {
  const probe = await probeDevices("webgpu");
  if (!probe.adapters) return "the webgpu packages are not installed";
  return probe.adapters.found.length ? null : `no WebGPU adapter (${probe.adapters.problems.join("; ")}); .ci/run installs Mesa's libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri`;
}

/** Registers `fn`, or, without an adapter, a skip (uvu's; a SKIP line says why) — a failure under CI=true. */
export function parityTest(t: Test, name: string, unavailable: string | null, fn: () => Promise<void>): void {
  if (!unavailable) t(name, fn);
  else if (process.env["CI"] === "true") t(name, () => assert.unreachable(`CI has no WebGPU adapter: ${unavailable}`));
  else {
    console.log(`SKIP: ${name}: ${unavailable}`);
    t.skip(name, fn);
  }
}

export const project = (name: string): string => join(repoRoot(), "projects/quickstart", name);

/** Two inner epochs of one step, no evaluation: the shortest run that writes a checkpoint to resume from. */
export const SHORT_RUN = [
  "recipe.runner=runner_iter", "recipe.max_iters=2", "recipe.iters_per_inner_epoch=1", "recipe.valid_splits=[]", "recipe.test_splits=[]",
  "recipe.batch_size_train=4", "recipe.warmup_steps=0", "recipe.init_lr=1e-3",
];

export function compileSpec(file: string, sets: readonly string[], dataRoot: string): RunSpec {
  const checked = checkFile(file, nodeHost(), { sets: [...sets] });
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (errors.length || !checked.resolved) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join("; "));
  return runSpecOf(lowerToGraph(checked.resolved, { dataRoot }).graph);
}

/** The first training batch of the spec's first training split, and the vocabulary a run would build. */
export async function firstBatch(spec: RunSpec): Promise<{ batch: TrainBatch; vocab: readonly string[] }> {
  const data = dataModuleFactory({ workers: 0 });
  try {
    const { dataset, split } = trainingSplits(spec)[0]!;
    const loader = await data.train(dataset, split, { batchSize: spec.batchSizeTrain, seed: spec.seed, dropLast: true });
    const settings = modelTextSettings(spec.model);
    if (Array.isArray(settings)) throw new Error(settings.join("; "));
    const chosen = chooseVocabulary(settings, null, () => [...(loader.texts ?? [])]);
    if (!chosen.ok) throw new Error(chosen.error);
    for await (const batch of loader.epoch(0)) return { batch, vocab: chosen.vocab };
    throw new Error("no batch");
  } finally {
    await data.close();
  }
}

export interface StepResult {
  readonly losses: Record<string, number>;
  readonly grads: Map<string, Float32Array>;
}

/** One micro-batch's forward and backward on `backend` with a model built from the seed (the same weights on every backend). */
export async function stepOn(backend: "wasm" | "webgpu", spec: RunSpec, vocab: readonly string[], batch: TrainBatch): Promise<StepResult> {
  const be = await initBackend(backend);
  if (!be.ok) throw new Error(be.message);
  const model = createModel(spec.model, new WordPieceTokenizer(vocab), spec.seed);
  if (Array.isArray(model)) throw new Error(model.join("; "));
  try {
    const image = tf.tensor4d(await batch.image.data(), batch.image.shape);
    const { grads, losses } = microBatchGradients(model, { ...batch, image }, { epoch: 0, iters: 0, itersPerEpoch: 2, rng: new Rng(7) }, 1);
    image.dispose();
    const names = Object.keys(grads);
    const values = await Promise.all([...names.map((n) => grads[n]!.data()), ...Object.values(losses).map((l) => l.data())]);
    tf.dispose([...Object.values(grads), ...Object.values(losses)]);
    const out = new Map(names.map((n, i) => [n, values[i] as Float32Array]));
    const lossValues = Object.fromEntries(Object.keys(losses).map((k, i) => [k, (values[names.length + i] as Float32Array)[0]!]));
    return { losses: lossValues, grads: out };
  } finally {
    model.dispose();
  }
}

/**
 * The stated tolerance: every loss component within 1e-4 relative; every gradient tensor within
 * 1e-3 · max|g| + 1e-6 elementwise (float32 sums in another order on another device).
 */
export function assertSameStep(a: StepResult, b: StepResult, what: string): void {
  assert.equal(Object.keys(b.losses), Object.keys(a.losses), `${what}: loss components`);
  for (const [k, v] of Object.entries(a.losses)) {
    const w = b.losses[k]!;
    assert.ok(Math.abs(v - w) <= 1e-4 * Math.max(1, Math.abs(v)), `${what}: ${k} ${v} (wasm) vs ${w} (webgpu)`);
  }
  assert.equal([...b.grads.keys()].sort(), [...a.grads.keys()].sort(), `${what}: gradient names`);
  let worst = { name: "", ratio: 0 };
  for (const [name, g] of a.grads) {
    const h = b.grads.get(name)!;
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < g.length; i++) {
      scale = Math.max(scale, Math.abs(g[i]!));
      diff = Math.max(diff, Math.abs(g[i]! - h[i]!));
    }
    const ratio = diff / (1e-3 * scale + 1e-6);
    if (ratio > worst.ratio) worst = { name, ratio };
  }
  assert.ok(worst.ratio <= 1, `${what}: gradient ${worst.name} differs by ${worst.ratio.toFixed(2)}x the tolerance`);
}

/** `lavisc run` in process; returns the job folder and its `train_` lines. */
export async function lavisRun(file: string, sets: readonly string[], dataRoot: string, out: string): Promise<{ dir: string; trainLines: Record<string, string>[] }> {
  const host = memoryHost({}, repoRoot());
  const args = ["run", file, "--quiet", "--workers", "0", "--data-root", dataRoot, "--set", `recipe.output_dir=${JSON.stringify(out)}`];
  for (const s of sets) args.push("--set", s);
  const code = await runCli(args, host);
  assert.is(code, 0, host.err);
  const jobs = readdirSync(out);
  const dir = join(out, jobs[jobs.length - 1]!);
  const lines = readFileSync(join(dir, "log.txt"), "utf8").split("\n").filter((l) => l.startsWith('{"train_'));
  return { dir, trainLines: lines.map((l) => JSON.parse(l) as Record<string, string>) };
}

/** The log's `{:.3f}` values rounded to 2 decimals (the bar for two backends). */
export function twoDecimals(lines: readonly Record<string, string>[]): string[][] {
  return lines.map((l) => Object.entries(l).map(([k, v]) => `${k}=${Number(v).toFixed(2)}`));
}
