// Benchmark: one small blip_retrieval training step (forward, backward, AdamW) in lavisc (tfjs) and in PyTorch
// (bench/peer_retrieval_step.py, same shapes, batch and optimizer); then the same model through the runner with
// run.world_size 1 and the number of cores (data-parallel replicas, 8 samples per step). Last line (lavisc on all cores):
// "runtime: lavisc X steps/s, PyTorch Y steps/s, ratio Z".
import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { initBackend, probeDevices } from "../src/runtime/backend/initBackend.js";
import { gemmInPlace, installWasmKernelFixes, setBlockedGemm, setSimdMatMul } from "../src/runtime/backend/wasmKernelFixes.js";
import { profileKernels, type KernelStat } from "../src/runtime/backend/kernelProfiler.js";
import { fusedKernelSwitches } from "../src/runtime/backend/fusedKernels.js";
import { columnSumSwitch } from "../src/runtime/backend/simdColumnSum.js";
import { rowGatherSwitch } from "../src/runtime/backend/rowGather.js";
import { leanSavesSwitch } from "../src/runtime/backend/leanTapeSaves.js";
import { simdUpdatesSwitch } from "../src/runtime/backend/simdUpdates.js";
import { inHeapSwitch } from "../src/runtime/backend/simdModule.js";
import { heapSliceSwitch } from "../src/runtime/backend/heapSlice.js";
import { fusedLinearSwitch } from "../src/runtime/backend/fusedLinear.js";
import { fusedAttentionSwitch } from "../src/runtime/backend/fusedAttention.js";
import { measureCoreScaling } from "./coreScaling.js";
import { SHAPES, phaseNames, retrievalStep, retrievalStepConfig } from "./retrievalStep.js";
import { peerDropout } from "./gpuPeer.js";
import { describeStepCost, measureStepCost } from "./stepCost.js";
import { WordPieceTokenizer, buildVocab } from "../src/runtime/nn/tokenizer.js";
import { readBlipCaptionConfig } from "../src/runtime/models/blipCaptionConfig.js";
import { BlipCaption } from "../src/runtime/models/blipCaption.js";
import { availableParallelism, tmpdir } from "node:os";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { checkFile } from "../src/index.js";
import { nodeHost } from "../src/cli/host.js";
import { lowerToGraph, runSpecOf } from "../src/compiler/lower.js";
import { prepareDataset } from "../src/data/index.js";
import { runExperiment } from "../src/runtime/train/runExperiment.js";
import { dataModuleFactory } from "../src/runtime/train/dataModuleFactory.js";
// The model configs as the compiler resolves them (the stdlib's defaults filled in), with the peer's sizes over them.
import { modelConfigOf } from "../test/harness/modelConfig.js";

const BATCH = 8;
/** Issue 13's goal for the scaling from 1 to 2 replicas (the step-cost row asks what it needs). */
const SCALING_GOAL = 1.6;
const STEPS = Number(process.env["BENCH_STEPS"] ?? 20);
/**
 * Untimed steps before the timed ones, on both sides (default 3, at least 1). lavisc's first steps run while V8 compiles the hot
 * code, in every replica's thread at once; BENCH_WARMUP=60 measures after that (the steady state of a long run).
 */
const WARMUP = Math.max(1, Number(process.env["BENCH_WARMUP"] ?? 3));

/** BENCH_KERNELS (wasm only, for A/B): "stock" = tfjs's BatchMatMul, "xnnpack" = the XNNPACK-only fix, "simd" (default). */
async function selectWasmKernels(): Promise<void> {
  const which = process.env["BENCH_KERNELS"] ?? "simd";
  if (which === "simd") return;
  await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend("wasm"))) throw new Error("wasm backend failed to initialise");
  installWasmKernelFixes(which === "stock" ? { batchMatMul: false } : { simd: false });
}

async function lavisc(backend: "auto" | "wasm" | "webgpu", steps = STEPS): Promise<{ stepsPerSec: number; cpuStepsPerSec: number; backend: string; device: string; stepCost: string | null }> {
  if (backend === "wasm") await selectWasmKernels();
  const be = await initBackend(backend);
  if (!be.ok) throw new Error(be.message);
  const bench = retrievalStep();
  const batch = bench.batch(BATCH);
  const step = (i: number) => bench.step(batch, i);
  for (let i = 0; i < WARMUP; i++) step(i);
  await bench.sync();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) step(i);
  await bench.sync();
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  if (process.env["BENCH_AB"]) abSimd(step);
  if (process.env["BENCH_PROFILE"]) {
    for (const k of phaseNames) bench.phases[k] = 0;
    profile(tf.getBackend(), step);
    console.log("by phase (over both profiled passes):");
    for (const [k, ms] of Object.entries(bench.phases)) console.log(`  ${(ms / (2 * STEPS)).toFixed(1).padStart(7)} ms/step  ${k}`);
  }
  // What the step costs by batch size, and so what replicas can gain here (BENCH_STEP_COST=0 skips it; wasm only).
  let stepCost: string | null = null;
  if (be.name === "wasm" && process.env["BENCH_STEP_COST"] !== "0") {
    const world = 2; // issue 13's goal: from 1 to 2 replicas
    const sizes = [BATCH / 4, BATCH / 2, BATCH, BATCH * 2];
    stepCost = describeStepCost(measureStepCost(bench, sizes), BATCH, world, SCALING_GOAL);
  }
  bench.dispose();
  return { stepsPerSec: steps / secs, cpuStepsPerSec: steps / cpuSecs, backend: be.name, device: be.device, stepCost };
}

/**
 * BENCH_AB=1 (or simd): the SIMD matmuls off and on; BENCH_AB=gemm: the cache-blocked kernel off (2-D products back
 * on the plain kernel or XNNPACK) and on; BENCH_AB=columnSum: sums over leading axes on wasm's Sum, then on the SIMD
 * column sum; BENCH_AB=rowGather: gathers along axis 0 on wasm's GatherV2, then as row copies;
 * BENCH_AB=gemmInPlace: the matmul kernels on copies of the operands in their own memory, then in tfjs's heap;
 * BENCH_AB=simdUpdates: AdamW and the momentum EMA as JavaScript loops, then on the SIMD module in tfjs's heap;
 * BENCH_AB=inHeap: the GELU, LayerNorm and column-sum modules on copies in their own memory, then in tfjs's heap;
 * BENCH_AB=heapSlice: wasm's Slice and SplitV, then slices copied from the heap;
 * BENCH_AB=linear: linear layers as tf ops (Reshape, BatchMatMul, Add, Reshape), then as one fused kernel;
 * BENCH_AB=attention: multi-head attention as tf ops, then as one fused kernel;
 * BENCH_AB=leanSaves: tensors saved for the backward pass cloned by the engine (an Identity run and a tape node each), then shared directly; BENCH_AB=gelu or
 * layerNorm: that fused kernel off and on.
 * Alternating blocks of 5 steps of the same model, STEPS steps each, in CPU time; interleaving cancels most of the
 * drift that separate runs see on a shared machine.
 */
function abSimd(step: (i: number) => void): void {
  const which = process.env["BENCH_AB"] === "1" ? "simd" : process.env["BENCH_AB"]!;
  const switches = fusedKernelSwitches as Record<string, boolean>;
  const own: Record<string, (on: boolean) => void> = { simd: setSimdMatMul, gemm: setBlockedGemm, columnSum: (on) => void (columnSumSwitch.enabled = on), rowGather: (on) => void (rowGatherSwitch.enabled = on), leanSaves: (on) => void (leanSavesSwitch.enabled = on), gemmInPlace: (on) => void (gemmInPlace.enabled = on), simdUpdates: (on) => void (simdUpdatesSwitch.enabled = on), inHeap: (on) => void (inHeapSwitch.enabled = on), heapSlice: (on) => void (heapSliceSwitch.enabled = on), linear: (on) => void (fusedLinearSwitch.enabled = on), attention: (on) => void (fusedAttentionSwitch.enabled = on) };
  if (!(which in own) && !(which in switches)) throw new Error(`BENCH_AB=${which}: one of 1, ${Object.keys(own).join(", ")}, ${Object.keys(switches).join(", ")}`);
  const use = (on: boolean) => (which in own ? own[which]!(on) : (switches[which] = on));
  const cpu = { off: 0, on: 0 };
  for (let i = 0; i < STEPS; i += 5) {
    for (const mode of ["off", "on"] as const) {
      use(mode === "on");
      const c0 = process.cpuUsage();
      for (let j = 0; j < 5; j++) step(i + j);
      const c = process.cpuUsage(c0);
      cpu[mode] += (c.user + c.system) / 1000;
    }
  }
  use(true);
  const n = Math.ceil(STEPS / 5) * 5;
  const off = which === "simd" ? "XNNPACK-only" : which in own ? `without ${which}` : `without fused ${which}`;
  const on = which === "simd" ? "with SIMD kernels" : which in own ? `with ${which}` : `with fused ${which}`;
  console.log(`A/B interleaved over ${n} steps each: ${off} ${(cpu.off / n).toFixed(1)} ms CPU/step, ${on} ${(cpu.on / n).toFixed(1)} ms CPU/step (${((100 * (cpu.off - cpu.on)) / cpu.off).toFixed(1)}% less)`);
}

/** BENCH_PROFILE=1: time spent per kernel (and per kernel+shapes) over STEPS more steps, and the share outside kernels. */
function profile(backendName: string, step: (i: number) => void): void {
  const byName = profileKernels(backendName);
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) step(i);
  const total = performance.now() - t0;
  const names = byName.report();
  byName.uninstall();
  const shapeKey = (k: string, inputs: unknown, attrs: unknown) => {
    const shapes = Object.values(inputs as Record<string, { shape?: number[] }>).map((t) => JSON.stringify(t?.shape ?? "?")).join(",");
    const a = attrs as Record<string, unknown> | undefined;
    const flags = a && (a["transposeA"] || a["transposeB"]) ? ` tA=${!!a["transposeA"]} tB=${!!a["transposeB"]}` : "";
    return `${k} ${shapes}${flags}`;
  };
  const byShape = profileKernels(backendName, shapeKey);
  for (let i = 0; i < STEPS; i++) step(i);
  const shapes = byShape.report();
  byShape.uninstall();
  const inKernels = names.reduce((s, k) => s + k.ms, 0);
  const line = (k: KernelStat) => `  ${(k.ms / STEPS).toFixed(2).padStart(7)} ms/step ${((100 * k.ms) / total).toFixed(1).padStart(5)}%  ${(k.calls / STEPS).toFixed(0).padStart(4)} calls/step  ${k.kernel}`;
  console.log(`profile over ${STEPS} steps: ${(total / STEPS).toFixed(1)} ms/step, ${(inKernels / STEPS).toFixed(1)} ms in kernels, ${((total - inKernels) / STEPS).toFixed(1)} ms outside (tape, gradient functions, allocation)`);
  console.log("by kernel:");
  names.slice(0, 25).forEach((k) => console.log(line(k)));
  console.log("by kernel and input shapes:");
  shapes.slice(0, 30).forEach((k) => console.log(line(k)));
}

/**
 * The same step on WebGPU when an adapter is found (a software one included: the row names it), in the same process
 * and run as the row above. BENCH_WEBGPU=0 skips it; BENCH_WEBGPU_STEPS (default BENCH_STEPS) sets its timed steps.
 */
async function webgpuRow(primary: string): Promise<void> {
  if (process.env["BENCH_WEBGPU"] === "0" || primary === "webgpu") return;
  const probe = await probeDevices("webgpu");
  if (!probe.adapters?.found.length) {
    console.log(`webgpu: no adapter (${probe.adapters?.problems.join("; ") ?? "packages not installed"}); no webgpu row`);
    return;
  }
  const steps = Number(process.env["BENCH_WEBGPU_STEPS"] ?? STEPS);
  const gpu = await lavisc("webgpu", steps);
  console.log(`lavisc (webgpu on ${gpu.device}): ${gpu.stepsPerSec.toFixed(2)} steps/s over ${steps} steps, batch ${BATCH} (${gpu.cpuStepsPerSec.toFixed(2)} steps per CPU-second); ${(1000 / gpu.stepsPerSec).toFixed(0)} ms/step against ${primary}'s ${(1000 / ours.stepsPerSec).toFixed(0)} ms/step`);
  // The rest of the benchmark (beam search, the final line) runs on the primary backend again.
  await initBackend(primary === "tensorflow-gpu" ? "cuda" : primary === "tensorflow" ? "cpu" : "wasm");
}

const BEAMS = 3;
const NEW_TOKENS = 19;
const BEAM_REPS = Number(process.env["BENCH_BEAM_REPS"] ?? 3);

/**
 * Beam-search decoding with blip_caption (same encoder shapes, random weights): BATCH images, BEAMS beams, EOS banned
 * until NEW_TOKENS tokens (min_len = max_len) so both sides decode the same number of steps. Caption tokens per second.
 */
async function laviscBeam(): Promise<number> {
  const words = Array.from({ length: 90 }, (_, i) => `w${i}`);
  const tok = new WordPieceTokenizer(buildVocab(words));
  const { queue_size: _queue, embed_dim: _embed, ...captionShapes } = SHAPES;
  const cfg = readBlipCaptionConfig(modelConfigOf({ arch: "blip_caption", model_type: "tiny", ...captionShapes, prompt: "" }));
  if (Array.isArray(cfg)) throw new Error(cfg.join("; "));
  const model = new BlipCaption(cfg, tok, 0);
  const image = tf.randomNormal([BATCH, SHAPES.image_size, SHAPES.image_size, 3], 0, 1, "float32", 2) as tf.Tensor4D;
  const maxLen = model.promptLength + NEW_TOKENS;
  const params = { numBeams: BEAMS, maxLen, minLen: maxLen, repetitionPenalty: 1, lengthPenalty: 0, reportMetric: false };
  await model.generate(image, params);
  const t0 = performance.now();
  for (let i = 0; i < BEAM_REPS; i++) await model.generate(image, params);
  const secs = (performance.now() - t0) / 1000;
  image.dispose();
  model.dispose();
  return (BEAM_REPS * BATCH * NEW_TOKENS) / secs;
}

function pytorchBeam(): number | string {
  const r = runPeer({ mode: "beam", beams: BEAMS, new_tokens: NEW_TOKENS, reps: BEAM_REPS });
  return typeof r === "string" ? r : (r["tokens_per_s"] as number);
}

function runPeer(extra: Record<string, unknown>, env: Record<string, string> = {}): Record<string, unknown> | string {
  const script = fileURLToPath(new URL("../../bench/peer_retrieval_step.py", import.meta.url));
  const python = process.env["PYTHON"] ?? "/usr/bin/python3";
  // The peer drops at the step model's rates (the tiny type's 0), as lavisc's step does.
  const rates = peerDropout(retrievalStepConfig());
  const r = spawnSync(python, [script, JSON.stringify({ ...SHAPES, ...rates, batch: BATCH, vocab: 100, steps: STEPS, warmup: WARMUP, ...extra })], { encoding: "utf8", env: { ...process.env, ...env } });
  if (r.status !== 0) return `PyTorch peer failed (${python}): ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`;
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
}

interface PeerRow {
  readonly stepsPerSec: number;
  readonly cpuStepsPerSec: number;
  readonly threads: number;
}

/**
 * The PyTorch step in its best thread setting: PEER_THREADS when set, else 1 thread (OpenBLAS too) and every core,
 * the faster of the two (on a 2-core machine one thread is often faster: PyTorch's and OpenBLAS's threads spin).
 */
function pytorch(): { best: PeerRow; tried: PeerRow[] } | string {
  const settings = process.env["PEER_THREADS"] ? [{}] : [...new Set([1, availableParallelism()])].map((t) => ({ PEER_THREADS: String(t), OPENBLAS_NUM_THREADS: String(t) }));
  const tried: PeerRow[] = [];
  for (const env of settings) {
    const r = runPeer({}, env);
    if (typeof r === "string") return r;
    tried.push({ stepsPerSec: r["steps_per_s"] as number, cpuStepsPerSec: r["cpu_steps_per_s"] as number, threads: r["threads"] as number });
  }
  return { best: tried.reduce((a, b) => (b.stepsPerSec > a.stepsPerSec ? b : a)), tried };
}

/**
 * Data-parallel rows: projects/quickstart/retrieval_shapes.lv (blip_retrieval(tiny), the step above) through the whole
 * runner (data loading included) with run.world_size W and batch_size_train BATCH / W, so every step takes BATCH
 * samples as the PyTorch peer's does. Steps per second over the last STEPS of 3 + STEPS steps.
 */
interface ReplicaRow {
  readonly world: number;
  readonly stepsPerSec: number;
  /** Steps per CPU-second of the whole process (every thread: replicas, data workers). */
  readonly cpuStepsPerSec: number;
  /** CPU time over wall time: how many cores the run kept busy. */
  readonly coresBusy: number;
  readonly reduction: string | null;
}

async function replicaRow(world: number, batch = BATCH / world): Promise<ReplicaRow> {
  const tmp = mkdtempSync(join(tmpdir(), "lavisc-bench-ddp-"));
  try {
    const dataRoot = join(tmp, "data");
    prepareDataset("shapes", { root: dataRoot });
    const checked = checkFile(fileURLToPath(new URL("../../projects/quickstart/retrieval_shapes.lv", import.meta.url)), nodeHost());
    const base = runSpecOf(lowerToGraph(checked.resolved!, { dataRoot }).graph);
    const steps = WARMUP + STEPS;
    const spec = {
      ...base, backend: "wasm" as const, runner: "runner_iter", maxIters: steps, itersPerInnerEpoch: steps, batchSizeTrain: batch, worldSize: world,
      validSplits: [], testSplits: [], saveLast: false, outputDir: join(tmp, "out"),
    };
    const data = dataModuleFactory({ workers: 1 });
    const at: number[] = [];
    const cpu: number[] = [];
    let reduction: string | null = null;
    let threadsAtWarm: Map<string, number> | null = null;
    let threadsAtEnd: Map<string, number> | null = null;
    try {
      const r = await runExperiment(spec, {
        dataFactory: data, progress: { onStep: () => {
          at.push(performance.now());
          const u = process.cpuUsage();
          cpu.push((u.user + u.system) / 1000);
          if (process.env["BENCH_PROFILE"] && at.length === WARMUP) threadsAtWarm = threadCpuMs();
          if (process.env["BENCH_PROFILE"] && at.length === steps) threadsAtEnd = threadCpuMs();
        } },
        logger: { info: (m) => void (m.startsWith("replica reduction") && (reduction = m)), warn: () => undefined },
      });
      if (r.status !== 0) throw new Error(r.errors.join("; "));
    } finally {
      await data.close();
    }
    const wallMs = at[at.length - 1]! - at[WARMUP - 1]!, cpuMs = cpu[cpu.length - 1]! - cpu[WARMUP - 1]!;
    const threads = threadsAtWarm && threadsAtEnd ? threadShares(threadsAtWarm, threadsAtEnd, world, STEPS) : null;
    return { world, stepsPerSec: STEPS / (wallMs / 1000), cpuStepsPerSec: STEPS / (cpuMs / 1000), coresBusy: cpuMs / wallMs, reduction: [reduction, threads].filter(Boolean).join("; ") || null };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** CPU milliseconds of each of this process's threads so far, by thread id (Linux: /proc/self/task), or null elsewhere. */
function threadCpuMs(): Map<string, number> | null {
  try {
    const ticksPerMs = 100 / 1000; // USER_HZ
    const out = new Map<string, number>();
    for (const tid of readdirSync("/proc/self/task")) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / ticksPerMs);
    }
    return out;
  } catch {
    return null;
  }
}

/** BENCH_PROFILE: CPU per step of the `world` busiest threads (the replicas) and of all the others together. */
function threadShares(before: Map<string, number>, after: Map<string, number>, world: number, steps: number): string {
  const used = [...after].map(([tid, ms]) => ms - (before.get(tid) ?? 0)).sort((a, b) => b - a);
  const perStep = (ms: number) => (ms / steps).toFixed(1);
  const others = used.slice(world).reduce((a, b) => a + b, 0);
  const top = used.slice(world, world + 6).map(perStep).join(", ");
  return `CPU per step: ${used.slice(0, world).map(perStep).join(" and ")} ms on the ${world === 1 ? "busiest thread" : `${world} busiest threads`}, ${perStep(others)} ms on the process's ${used.length - world} other threads (the busiest ${top}; 10 ms ticks)`;
}

/** The world-size rows' results: the last (every core) and the fastest. */
interface ReplicaRows {
  readonly last: { world: number; stepsPerSec: number };
  readonly best: { world: number; stepsPerSec: number };
}

async function replicaRows(): Promise<ReplicaRows | null> {
  if (process.env["BENCH_REPLICAS"] === "0") return null;
  const cores = availableParallelism();
  // BENCH_WORLDS (e.g. "1 2" on a many-core machine) replaces the default 1 and every core; the last one listed is
  // the one the ceiling and weak-scaling rows use. World sizes that do not divide the batch are left out.
  const asked = (process.env["BENCH_WORLDS"] ?? "").split(/\s+/).filter(Boolean).map(Number);
  const worlds = [...new Set(asked.length ? asked : [1, cores])].filter((w) => Number.isInteger(w) && w >= 1 && BATCH % w === 0);
  const rows: ReplicaRow[] = [];
  for (const w of worlds) {
    const r = await replicaRow(w);
    rows.push(r);
    console.log(`lavisc runner, world_size ${w} (batch ${BATCH / w} per replica, ${BATCH} per step, wasm): ${r.stepsPerSec.toFixed(2)} steps/s over ${STEPS} steps, ${r.cpuStepsPerSec.toFixed(2)} steps per CPU-second, ${r.coresBusy.toFixed(2)} cores busy${r.reduction && process.env["BENCH_PROFILE"] ? `; ${r.reduction}` : ""}`);
  }
  const last = rows[rows.length - 1]!;
  if (rows.length > 1) {
    // The ceiling of the scaling: one replica alone on its share of the step (no reduction, no second thread).
    const share = await replicaRow(1, BATCH / last.world);
    const ceiling = share.stepsPerSec / rows[0]!.stepsPerSec;
    console.log(`lavisc runner, world_size 1 with one replica's share (batch ${BATCH / last.world}): ${share.stepsPerSec.toFixed(2)} steps/s, ${share.cpuStepsPerSec.toFixed(2)} steps per CPU-second: ${ceiling.toFixed(2)}x the batch-${BATCH} row is the most ${last.world} replicas can scale`);

    console.log(`scaling from 1 to ${last.world} replicas: ${(last.stepsPerSec / rows[0]!.stepsPerSec).toFixed(2)}x (${cores} cores); per CPU-second ${(last.cpuStepsPerSec / rows[0]!.cpuStepsPerSec).toFixed(2)}x`);
    // LAVIS's meaning of the same config on more replicas: batch_size_train per replica, so each step takes W times
    // the samples. Throughput in samples per second, against world_size 1 (weak scaling; the rows above hold the
    // global batch fixed, strong scaling, which the ratio against PyTorch uses).
    const weak = await replicaRow(last.world, BATCH);
    const weakGain = (weak.stepsPerSec * last.world) / rows[0]!.stepsPerSec;
    console.log(`lavisc runner, world_size ${last.world} with batch ${BATCH} per replica (${BATCH * last.world} per step): ${weak.stepsPerSec.toFixed(2)} steps/s = ${(weak.stepsPerSec * BATCH * last.world).toFixed(1)} samples/s, ${weak.coresBusy.toFixed(2)} cores busy: ${weakGain.toFixed(2)}x the samples/s of world_size 1 (weak scaling)`);
    const machine = await measureCoreScaling(last.world);
    console.log(`this machine, ${last.world} threads at once against 1 (bench/coreScaling.ts, median of 3): wasm SIMD kernel ${machine.simd.toFixed(2)}x the throughput, scalar integer loop ${machine.scalar.toFixed(2)}x: the SIMD figure bounds what ${last.world} replicas can gain here`);
  }
  return { last, best: rows.reduce((a, b) => (b.stepsPerSec > a.stepsPerSec ? b : a)) };
}

/**
 * The same ceiling for PyTorch: its step on one replica's share of the batch against its whole batch, in its best
 * thread setting, the two batch sizes taking turns three times, at least 100 steps each (medians; the host's speed
 * drifts between runs, and single 30-step runs gave anything from 1.2x to 1.8x). Two data-parallel PyTorch replicas,
 * perfectly parallel and with free communication, could not scale by more than this on this step: what a half batch
 * costs is the model's and the engine's, not the replicas'.
 */
function pytorchShareCeiling(peer: PeerRow, world: number): string {
  const env = { PEER_THREADS: String(peer.threads), OPENBLAS_NUM_THREADS: String(peer.threads) };
  const rates: Record<"whole" | "share", number[]> = { whole: [], share: [] };
  for (let round = 0; round < 3; round++) {
    for (const [kind, batch] of [["whole", BATCH], ["share", BATCH / world]] as const) {
      const r = runPeer({ batch, steps: Math.max(STEPS, 100) }, env);
      if (typeof r === "string") return r;
      rates[kind].push(r["steps_per_s"] as number);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const whole = median(rates.whole), share = median(rates.share);
  return `PyTorch (${peer.threads} thread(s)), batch ${BATCH} against one replica's share (batch ${BATCH / world}), taking turns, medians of 3: ${whole.toFixed(2)} and ${share.toFixed(2)} steps/s: ${(share / whole).toFixed(2)}x is the most ${world} PyTorch replicas could scale on this step`;
}

// wasm by default: the CPU step, as the peer runs it (auto would take a GPU when one is there; BENCH_WEBGPU adds its row).
const ours = await lavisc((process.env["BENCH_BACKEND"] as "auto" | "wasm" | "webgpu" | undefined) ?? "wasm");
// Steps per CPU-second: the wasm backend is single-threaded, so on a loaded machine this is what it would do on a free core.
console.log(`lavisc (${ours.backend}, kernels ${process.env["BENCH_KERNELS"] ?? "simd"}): ${ours.stepsPerSec.toFixed(2)} steps/s over ${STEPS} steps, batch ${BATCH} (${ours.cpuStepsPerSec.toFixed(2)} steps per CPU-second)`);
if (ours.stepCost) console.log(ours.stepCost);
await webgpuRow(ours.backend);
if (process.env["BENCH_BEAM"] !== "0") {
  const ourTokens = await laviscBeam();
  const peerTokens = pytorchBeam();
  const peerText = typeof peerTokens === "string" ? peerTokens : `${peerTokens.toFixed(1)} tokens/s`;
  console.log(`beam search (batch ${BATCH}, ${BEAMS} beams, ${NEW_TOKENS} tokens): lavisc ${ourTokens.toFixed(1)} tokens/s, PyTorch ${peerText}`);
}
const replicas = await replicaRows();
const allCores = replicas?.last ?? null;
const peers = pytorch();
if (typeof peers === "string") {
  console.log(peers);
  console.log(`runtime: lavisc ${(allCores ?? ours).stepsPerSec.toFixed(2)} steps/s, PyTorch n/a steps/s, ratio n/a`);
} else {
  const peer = peers.best;
  for (const p of peers.tried) console.log(`PyTorch (${p.threads} threads): ${p.stepsPerSec.toFixed(2)} steps/s (${p.cpuStepsPerSec.toFixed(2)} steps per CPU-second)${peers.tried.length > 1 && p === peer ? ": its best setting here" : ""}`);
  if (replicas && replicas.last.world > 1) console.log(pytorchShareCeiling(peer, replicas.last.world));
  console.log(`per CPU-second: lavisc ${ours.cpuStepsPerSec.toFixed(2)}, PyTorch ${peer.cpuStepsPerSec.toFixed(2)}, ratio ${(ours.cpuStepsPerSec / peer.cpuStepsPerSec).toFixed(3)}`);
  // With the replica rows: lavisc on every core (world_size = cores) against PyTorch on its threads.
  // Each side in its best setting (PyTorch's best thread count above, lavisc's fastest world size), for reference.
  if (replicas) console.log(`best settings: lavisc world_size ${replicas.best.world} ${replicas.best.stepsPerSec.toFixed(2)} steps/s, PyTorch ${peer.threads} thread(s) ${peer.stepsPerSec.toFixed(2)} steps/s, ratio ${(replicas.best.stepsPerSec / peer.stepsPerSec).toFixed(3)}`);
  const x = (allCores ?? ours).stepsPerSec;
  console.log(`runtime: lavisc ${x.toFixed(2)} steps/s, PyTorch ${peer.stepsPerSec.toFixed(2)} steps/s, ratio ${(x / peer.stepsPerSec).toFixed(3)}`);
}
