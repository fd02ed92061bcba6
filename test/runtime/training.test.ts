import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { runExperiment, stopOnSignals, type RunResult } from "../../src/runtime/index.js";
import type { RunSpec } from "../../src/runtime/runSpec.js";
import { loadCheckpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import { encodeSafetensors } from "../../src/runtime/checkpoint/safetensors.js";
import { syntheticFactory, tinySpec, TINY_MODEL_CONFIG } from "./synthetic.js";
import { dataModuleFactory } from "../../src/runtime/train/dataModuleFactory.js";

const root = mkdtempSync(join(tmpdir(), "lavisc-train-"));
const fixedClock = () => new Date(2024, 0, 18, 14, 37);
let n = 0;
const outDir = () => join(root, `run${n++}`);

function schedule(maxEpoch: number, initLr = 2e-3): RunSpec["schedule"] {
  return { name: "linear_warmup_cosine_lr", initLr, minLr: 1e-5, warmupLr: 1e-4, warmupSteps: 3, decayRate: null, maxEpoch };
}

async function train(over: Partial<RunSpec>, data: { images?: number; nanAtBatch?: number } = {}, stopAfterSteps?: number): Promise<RunResult> {
  const stop = { stopRequested: false };
  let steps = 0;
  return runExperiment(tinySpec(over.outputDir ?? outDir(), over), {
    dataFactory: syntheticFactory({ images: data.images ?? 16, size: 16, seed: 1, ...(data.nanAtBatch !== undefined ? { nanAtBatch: data.nanAtBatch } : {}) }),
    now: fixedClock,
    stopSignal: stop,
    progress: { onStep: () => { if (stopAfterSteps !== undefined && ++steps >= stopAfterSteps) stop.stopRequested = true; } },
  });
}

const trainLines = (dir: string) => readFileSync(join(dir, "log.txt"), "utf8").split("\n").filter((l) => l.startsWith('{"train_'));

test("loss falls and retrieval recall rises on learnable synthetic data", async () => {
  const r = await train({ maxEpoch: 24, schedule: schedule(24), validSplits: [], saveLast: false });
  assert.is(r.status, 0, r.errors.join("; "));
  const losses = r.epochLosses;
  assert.is(losses.length, 24);
  assert.ok(losses[23]! < 0.92 * losses[2]!, `loss did not fall: ${losses.map((x) => x.toFixed(3)).join(" ")}`);
  // 16 images, chance txt_r1 is 6.25%.
  assert.ok(r.metrics["test"]!["txt_r_mean"]! > 45, JSON.stringify(r.metrics["test"]));
});

let reference: RunResult;

test("output layout: job-id directory, log.txt starting with the config, per-epoch lines, checkpoints, evaluate.txt", async () => {
  reference = await train({ maxEpoch: 4, schedule: schedule(4), validSplits: [], saveLast: false });
  assert.is(reference.status, 0, reference.errors.join("; "));
  const dir = reference.outputDir!;
  assert.match(dir, /[/\\]20240118143$/); // strftime("%Y%m%d%H%M")[:-1]
  const files = readdirSync(dir).sort();
  for (const f of ["checkpoint_0.json", "checkpoint_3.json", "evaluate.txt", "log.txt", "result"]) assert.ok(files.includes(f), `missing ${f}`);
  assert.ok(files.some((f) => /^checkpoint_0\.[0-9a-f]{16}\.safetensors$/.test(f)), "weights named by content");
  assert.not.ok(files.some((f) => f.endsWith(".tmp")), "no temp files left");
  const log = readFileSync(join(dir, "log.txt"), "utf8");
  assert.ok(log.startsWith('{\n    "model": {'), "config first, indent 4");
  const lines = trainLines(dir);
  assert.is(lines.length, 4);
  assert.match(lines[0]!, /^\{"train_lr": "\d+\.\d{3}", "train_loss": "\d+\.\d{3}", "train_loss_itc": "\d+\.\d{3}", "train_loss_itm": "\d+\.\d{3}"\}$/);
  const evalLines = readFileSync(join(dir, "evaluate.txt"), "utf8").trim().split("\n");
  assert.is(evalLines.length, 1, "only the test split was evaluated");
  assert.ok("agg_metrics" in JSON.parse(evalLines[0]!));
  const again = await train({ maxEpoch: 1, schedule: schedule(1), validSplits: [], testSplits: [], outputDir: join(dir, "..") });
  assert.match(again.outputDir!, /[/\\]20240118143_1$/, "an existing run directory is never reused");
});

test("the same seed on the same backend gives the same losses", async () => {
  const r = await train({ maxEpoch: 4, schedule: schedule(4), validSplits: [], saveLast: false });
  assert.equal(r.epochLosses, reference.epochLosses);
  assert.equal(r.metrics, reference.metrics);
  const other = await train({ maxEpoch: 4, schedule: schedule(4), validSplits: [], saveLast: false, seed: 7 });
  assert.not.equal(other.epochLosses, reference.epochLosses);
});

test("resuming from checkpoint_1 reproduces the uninterrupted run exactly", async () => {
  const ckpt = join(reference.outputDir!, "checkpoint_1.json");
  const messages: string[] = [];
  const r = await runExperiment(tinySpec(outDir(), { maxEpoch: 4, schedule: schedule(4), validSplits: [], saveLast: false, resumeCkptPath: ckpt }), {
    dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }), now: fixedClock, listeners: [{ onMessage: ({ text }) => messages.push(text) }],
  });
  assert.is(r.status, 0, r.errors.join("; "));
  assert.ok(messages.includes(`resumed from ${ckpt} at epoch 2`), messages.join("\n"));
  assert.equal(r.epochLosses, reference.epochLosses.slice(2));
  assert.equal(trainLines(r.outputDir!), trainLines(reference.outputDir!).slice(2));
  assert.equal(r.metrics, reference.metrics);
});

test("a stop request writes a resumable checkpoint (status 130) and resuming continues exactly", async () => {
  const stopped = await train({ maxEpoch: 4, schedule: schedule(4), validSplits: [], saveLast: false }, {}, 6);
  assert.is(stopped.status, 130);
  assert.ok(stopped.resumePath && existsSync(stopped.resumePath));
  assert.equal(stopped.epochLosses, reference.epochLosses.slice(0, 1));
  const r = await train({ maxEpoch: 4, schedule: schedule(4), validSplits: [], saveLast: false, resumeCkptPath: stopped.resumePath });
  assert.is(r.status, 0, r.errors.join("; "));
  assert.equal(r.epochLosses, reference.epochLosses.slice(1), "the interrupted epoch's loss includes its steps before the stop");
  assert.equal(r.metrics, reference.metrics);
});

test("SIGINT through stopOnSignals stops the run with status 130", async () => {
  const stop = stopOnSignals();
  let steps = 0;
  try {
    const r = await runExperiment(tinySpec(outDir(), { maxEpoch: 2, schedule: schedule(2), validSplits: [] }), {
      dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }),
      stopSignal: stop,
      progress: { onStep: () => { if (++steps === 2) process.kill(process.pid, "SIGINT"); } },
    });
    assert.is(r.status, 130);
    assert.ok(r.resumePath && existsSync(r.resumePath));
  } finally {
    stop.dispose();
  }
});

test("a NaN loss stops the run naming epoch and step, keeping the last good checkpoint", async () => {
  const r = await train({ maxEpoch: 4, schedule: schedule(4), validSplits: [], saveLast: false }, { nanAtBatch: 6 });
  assert.is(r.status, 1);
  assert.match(r.errors[0]!, /epoch 1, step 2/);
  assert.ok(existsSync(join(r.outputDir!, "checkpoint_0.json")));
  assert.not.ok(existsSync(join(r.outputDir!, "checkpoint_1.json")));
});

test("the log names backend, device and why; listeners see the start, losses read once per log_freq steps, epochs, checkpoints and the end", async () => {
  const info: string[] = [];
  const events: string[] = [];
  const reads: number[][] = [];
  const r = await runExperiment(tinySpec(outDir(), { maxEpoch: 2, schedule: schedule(2), validSplits: [], testSplits: [], saveLast: false, logFreq: 3 }), {
    dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }),
    logger: { info: (m) => info.push(m), warn: () => undefined },
    listeners: [{
      onStart: (e) => events.push(`start ${e.backend}`),
      onLosses: (e) => reads.push(e.steps.map((s) => s.step)),
      onTrainStats: (e) => events.push(`epoch ${e.epoch} loss ${e.means["loss"]!.toFixed(3)}`),
      onCheckpoint: (e) => events.push(`checkpoint ${e.reason}`),
      onEnd: (e) => events.push(`end ${e.status}`),
    }],
  });
  assert.is(r.status, 0, r.errors.join("; "));
  assert.is(r.device, "cpu (wasm, single thread)");
  assert.ok(info.some((l) => /^backend wasm on cpu \(wasm, single thread\) \(device wasm was asked for\); output /.test(l)), info.join("\n"));
  // Never silent: where the vocabulary came from and its size (tinySpec has no vocab_file).
  assert.ok(info.some((l) => /^vocabulary: \d+ tokens, a WordPiece vocabulary built from the training texts \(model\.vocab_file is null/.test(l)), info.join("\n"));
  assert.equal(events, ["start wasm", `epoch 0 loss ${r.epochLosses[0]!.toFixed(3)}`, "checkpoint epoch", `epoch 1 loss ${r.epochLosses[1]!.toFixed(3)}`, "checkpoint epoch", "end 0"]);
  // 4 steps per epoch, log_freq 3: read after step 3 and at the epoch's end.
  assert.equal(reads, [[0, 1, 2], [3], [0, 1, 2], [3]]);
});

test("the log says how many threads decode the images, and that run.num_workers is LAVIS's DataLoader setting", async () => {
  const info: string[] = [];
  const spec = tinySpec(outDir(), { maxEpoch: 1, schedule: schedule(1), validSplits: [], testSplits: [], saveLast: false });
  const data = Object.assign(syntheticFactory({ images: 16, size: 16, seed: 1 }), { decodeWorkers: 2 });
  const r = await runExperiment({ ...spec, config: { ...spec.config, run: { num_workers: 4 } } }, { dataFactory: data, logger: { info: (m) => info.push(m), warn: () => undefined } });
  assert.is(r.status, 0, r.errors.join("; "));
  assert.ok(info.includes("image decoding: 2 worker threads (lavisc run --workers N; default 1); run.num_workers 4 is LAVIS's DataLoader worker processes per GPU, which the tfjs engine does not read"), info.join("\n"));
  assert.is(dataModuleFactory().decodeWorkers, 1);
  assert.is(dataModuleFactory({ workers: 0 }).decodeWorkers, 0);
});

test("a checkpoint that does not fit the model is a clear error naming the tensors", async () => {
  const ckpt = join(reference.outputDir!, "checkpoint_1.json");
  const spec = tinySpec(outDir(), { maxEpoch: 4, schedule: schedule(4), validSplits: [], resumeCkptPath: ckpt });
  const r = await runExperiment({ ...spec, model: { ...spec.model, config: { ...TINY_MODEL_CONFIG, embed_dim: 8 } } }, {
    dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }),
  });
  assert.is(r.status, 1);
  assert.match(r.errors[0]!, /shape mismatch in 10 tensors: vision_proj\.weight \(checkpoint \[16,32\], model \[8,32\]\), .*… \(5 more\)/);
  assert.match(r.errors[0]!, /To fix: the checkpoint was made for a model of another size: .*embed_dim/);
  const missing = await train({ resumeCkptPath: join(root, "nowhere", "checkpoint_3.json") });
  assert.is(missing.status, 1);
  // The path given, not a weights file derived from it (neither half exists).
  assert.match(missing.errors[0]!, /resume_ckpt_path: checkpoint \S+\/nowhere\/checkpoint_3\.json not found$/);
});

test("validation keeps checkpoint_best by val agg_metrics; evaluate-only loads weights and tests", async () => {
  const r = await train({ maxEpoch: 2, schedule: schedule(2), validSplits: ["val"], saveLast: false, saveFreq: 2 });
  assert.is(r.status, 0, r.errors.join("; "));
  // Resuming after epoch 0 (its checkpoint_best stays in the first run's directory) ends with the same metrics: the
  // best so far is kept (lavisc's resume continues the uninterrupted run; LAVIS restarts it at 0), and the log says so.
  const messages: string[] = [];
  const from = join(r.outputDir!, "checkpoint_0.json");
  const resumed = await runExperiment(tinySpec(outDir(), { maxEpoch: 2, schedule: schedule(2), validSplits: ["val"], saveLast: false, resumeCkptPath: from }), {
    dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }), now: fixedClock, listeners: [{ onMessage: ({ text }) => messages.push(text) }],
  });
  assert.is(resumed.status, 0, resumed.errors.join("; "));
  assert.equal(resumed.metrics, r.metrics);
  const kept = loadCheckpoint(from);
  assert.ok(kept.ok && kept.ckpt.meta!.best.aggMetrics > 0);
  const bestSoFar = kept.ok ? kept.ckpt.meta!.best : { aggMetrics: 0, epoch: 0 };
  const line = `resumed from ${from} at epoch 1; best so far agg_metrics ${bestSoFar.aggMetrics} at epoch 0 (${join(r.outputDir!, "checkpoint_best.json")}), kept (LAVIS restarts the best at 0 after a resume)`;
  assert.ok(messages.includes(line), `${line}\nnot among:\n${messages.join("\n")}`);
  const log = readFileSync(join(r.outputDir!, "log.txt"), "utf8");
  assert.match(log, /\{"val_txt_r1": [\d.]+, .*"val_agg_metrics": [\d.]+, "val_best_epoch": \d\}/);
  assert.ok(existsSync(join(r.outputDir!, "checkpoint_best.json")));
  assert.ok(existsSync(join(r.outputDir!, "checkpoint_0.json")), "save_freq 2 saves epoch 0");
  assert.not.ok(existsSync(join(r.outputDir!, "checkpoint_1.json")), "epochs with validation save no other checkpoint_<e> (save_last off)");
  const best = join(r.outputDir!, "checkpoint_best.json");
  const spec = tinySpec(outDir(), { evaluate: true });
  const e = await runExperiment({ ...spec, model: { ...spec.model, loadWeights: best } }, { dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }) });
  assert.is(e.status, 0, e.errors.join("; "));
  assert.equal(e.metrics["test"], r.metrics["test"], "testing reloads the best checkpoint, as evaluate-only does");
});

test("an epoch without validation whose number is a multiple of save_freq is saved once", async () => {
  const saved: string[] = [];
  const r = await runExperiment(tinySpec(outDir(), { maxEpoch: 2, schedule: schedule(2), validSplits: [], saveLast: false, saveFreq: 1 }), {
    dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }),
    now: fixedClock,
    listeners: [{ onCheckpoint: ({ path }) => saved.push(basename(path)) }],
  });
  assert.is(r.status, 0, r.errors.join("; "));
  assert.equal(saved, ["checkpoint_0.json", "checkpoint_1.json"]);
});

test("initial weights load non-strictly as LAVIS: momentum copies restored from the online encoders, extra keys warned", async () => {
  const loaded = loadCheckpoint(join(reference.outputDir!, "checkpoint_3.json"));
  assert.ok(loaded.ok);
  if (!loaded.ok) return;
  const lavisLike = new Map([...loaded.ckpt.model].filter(([k]) => !/_m\./.test(k)));
  lavisLike.set("text_encoder.embeddings.position_ids", { dtype: "I32", shape: [1, 4], data: Int32Array.from([0, 1, 2, 3]) });
  lavisLike.set("text_encoder.pooler.dense.weight", { dtype: "F32", shape: [2, 2], data: new Float32Array(4) });
  const file = join(root, "lavis_like.safetensors");
  writeFileSync(file, encodeSafetensors(lavisLike));
  const vocabFile = join(root, "vocab.txt");
  writeFileSync(vocabFile, loaded.ckpt.meta!.vocab.join("\n") + "\n");
  const warnings: string[] = [];
  const infos: string[] = [];
  const base = tinySpec(outDir(), { evaluate: true });
  const spec = { ...base, model: { ...base.model, config: { ...TINY_MODEL_CONFIG, vocab_file: vocabFile } } };
  const e = await runExperiment({ ...spec, model: { ...spec.model, loadWeights: file } }, {
    dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }), logger: { info: (m) => infos.push(m), warn: (w) => warnings.push(w) },
  });
  assert.is(e.status, 0, e.errors.join("; "));
  assert.ok(warnings.some((w) => /missing \d+ tensors: visual_encoder_m\./.test(w) && /unexpected 1 tensor: text_encoder\.pooler\.dense\.weight/.test(w)), warnings.join("\n"));
  assert.ok(infos.some((m) => /ignored 1 tensor lavisc does not keep .*text_encoder\.embeddings\.position_ids/.test(m)), infos.join("\n"));
  assert.equal(e.metrics["test"], reference.metrics["test"], "evaluation uses only the online encoders");
  writeFileSync(join(root, "model_base_retrieval_coco.pth"), "PK\u0003\u0004"); // a .pth that exists (a missing one is "not found")
  const pth = await runExperiment({ ...spec, model: { ...spec.model, loadWeights: join(root, "model_base_retrieval_coco.pth") } }, { dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }) });
  assert.is(pth.status, 1);
  assert.match(pth.errors[0]!, /PyTorch pickle/);
});

test("runner_iter: inner epochs of iters_per_inner_epoch steps, checkpoint_<iters>", async () => {
  const r = await train({ runner: "runner_iter", maxIters: 6, itersPerInnerEpoch: 3, validSplits: [], testSplits: [], schedule: schedule(2) });
  assert.is(r.status, 0, r.errors.join("; "));
  assert.is(r.epochLosses.length, 2);
  assert.ok(existsSync(join(r.outputDir!, "checkpoint_3.json")) && existsSync(join(r.outputDir!, "checkpoint_6.json")));
});

// LAVIS's RunnerIter.train loops over range(0, max_iters, iters_per_inner_epoch) and runs each inner epoch in full;
// its scheduler's max_epoch is int(max_iters / iters_per_inner_epoch).
async function trainIter(over: Partial<RunSpec>): Promise<{ r: RunResult; lrs: number[][] }> {
  const lrs: number[][] = [];
  const spec = tinySpec(over.outputDir ?? outDir(), { runner: "runner_iter", validSplits: [], testSplits: [], schedule: schedule(99), ...over });
  const r = await runExperiment(spec, {
    dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }), now: fixedClock,
    progress: { onStep: (p) => void (lrs[p.epoch] ??= []).push(p.lr) },
  });
  assert.is(r.status, 0, r.errors.join("; "));
  return { r, lrs };
}

test("runner_iter: max_iters 5 in inner epochs of 2 runs 3 whole ones, checkpoint_2/4/6, the last at the scheduler's max_epoch (min_lr)", async () => {
  const { r, lrs } = await trainIter({ maxIters: 5, itersPerInnerEpoch: 2 });
  assert.equal(lrs.map((l) => l.length), [2, 2, 2]);
  assert.equal(r.epochLosses.length, 3);
  assert.equal(["checkpoint_2", "checkpoint_4", "checkpoint_5", "checkpoint_6"].map((c) => existsSync(join(r.outputDir!, `${c}.json`))), [true, true, false, true]);
  // max_epoch = int(5 / 2) = 2: inner epoch 1 is the cosine's midpoint, inner epoch 2 its end, min_lr.
  assert.ok(Math.abs(lrs[1]![0]! - ((2e-3 - 1e-5) * 0.5 + 1e-5)) < 1e-12, String(lrs[1]));
  assert.ok(lrs[2]!.every((lr) => Math.abs(lr - 1e-5) < 1e-12), String(lrs[2]));
  const last = loadCheckpoint(join(r.outputDir!, "checkpoint_6.json"));
  assert.is(last.ok && last.ckpt.meta?.iters, 6);

  // Resuming before the extra inner epoch trains it as the uninterrupted run did; resuming after it trains nothing.
  const across = await trainIter({ maxIters: 5, itersPerInnerEpoch: 2, resumeCkptPath: join(r.outputDir!, "checkpoint_4.json") });
  assert.equal(across.r.epochLosses, [r.epochLosses[2]!]);
  assert.equal(across.lrs[2], lrs[2]);
  assert.ok(existsSync(join(across.r.outputDir!, "checkpoint_6.json")));
  const after = await trainIter({ maxIters: 5, itersPerInnerEpoch: 2, resumeCkptPath: join(r.outputDir!, "checkpoint_6.json") });
  assert.equal(after.r.epochLosses, []);
});

test("runner_iter with validation: checkpoint_best only (no checkpoint_<iters>), and the test phase tests the last weights", async () => {
  const evals: { split: string; epoch: number | "best" }[] = [];
  const saved: string[] = [];
  const messages: string[] = [];
  const over = { runner: "runner_iter", maxIters: 6, itersPerInnerEpoch: 2, validSplits: ["val"], testSplits: ["test"], schedule: schedule(3), testWeights: "last" } as const;
  const r = await runExperiment(tinySpec(outDir(), over), {
    dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }), now: fixedClock,
    listeners: [{ onEval: ({ split, epoch }) => evals.push({ split, epoch }), onCheckpoint: ({ path }) => saved.push(basename(path)), onMessage: ({ text }) => messages.push(text) }],
  });
  assert.is(r.status, 0, r.errors.join("; "));
  // RunnerIter.train: checkpoint_<end_iters> only in the `else:` of validation; checkpoint_best when val improves.
  assert.ok(saved.length > 0 && saved.every((f) => f === "checkpoint_best.json"), saved.join(", "));
  assert.not.ok(readdirSync(r.outputDir!).some((f) => /^checkpoint_\d+\.json$/.test(f)));
  // RunnerIter.train tests with self.evaluate(cur_epoch=self.cur_epoch): a number, so nothing is reloaded.
  assert.equal(evals.filter((e) => e.split === "test").map((e) => e.epoch), [2]);
  assert.ok(messages.some((m) => /testing the last weights: runner_iter/.test(m)), messages.join("\n"));
  // The same run without validation tests the same (last) weights: validation changes nothing in training.
  const plain = await runExperiment(tinySpec(outDir(), { ...over, validSplits: [] }), { dataFactory: syntheticFactory({ images: 16, size: 16, seed: 1 }), now: fixedClock });
  assert.equal(r.metrics["test"], plain.metrics["test"]);
});

test("runner_iter: max_iters below iters_per_inner_epoch is one whole inner epoch (range(0, 1, 2)), all warm-up", async () => {
  const { r, lrs } = await trainIter({ maxIters: 1, itersPerInnerEpoch: 2 });
  assert.equal(lrs.map((l) => l.length), [2]);
  assert.ok(existsSync(join(r.outputDir!, "checkpoint_2.json")));
});

test.run();
