// The LAVIS runner (RunnerBase / RunnerIter) on tfjs. This file wires the runner's parts: the backend, the run's
// inputs (setup), the record (runLog), checkpoints (checkpointing), evaluation, and the epoch loop with its step.
import { TFJS_RUNNERS, type RunSpec } from "../runSpec.js";
import { initBackend } from "../backend/initBackend.js";
import { AdamW, adamWOptions } from "../optim/adamW.js";
import { stepRng, type Rng } from "./rng.js";
import type { DataFactory } from "./dataFactory.js";
import { createRunDir } from "./outputFiles.js";
import { silentLogger, type Logger, type ProgressReporter, type StopSignal } from "./progress.js";
import { RunLog, type RunListener } from "./runLog.js";
import { Checkpointer, checkResumeStep, describeResume, loadInto, restoreTraining, whyNoBestCheckpoint, type StartPosition } from "./checkpointing.js";
import { Evaluator } from "./evaluation.js";
import { EpochLoop } from "./epochLoop.js";
import { evaluationName, loaderEpochAfterResume } from "./runFiles.js";
import { loaderStartIters } from "../innerEpochs.js";
import { prepareRun, trainingSource, type PreparedRun } from "./runSetup.js";
import { decodingLine, vocabularyLine } from "./runSetupLines.js";
import { ReplicaSet } from "../replicas/replicaSet.js";
import { describeReductionTime } from "../replicas/gradientReducer.js";
import { ReplicaAborted } from "../replicas/replicaGroup.js";
import { replicaRefusal } from "../replicas/replicaRefusal.js";
import { downloadsFirst } from "../replicas/downloadsFirst.js";
import type { Model } from "../models/model.js";
import { UserError } from "./userError.js";
import { runFault } from "../checkpoint/runFault.js";
import { availableParallelism } from "node:os";
import { diag } from "../../diagnostics/diagnostic.js";

export { loadInitialWeights } from "./checkpointing.js";

export interface RunOptions {
  readonly dataFactory: DataFactory;
  readonly logger?: Logger;
  readonly progress?: ProgressReporter;
  readonly stopSignal?: StopSignal;
  /** Observers of the run's record (log lines, evaluations, checkpoints), e.g. a report writer. */
  readonly listeners?: readonly RunListener[];
  /** Clock for the job id (tests pin it). */
  readonly now?: () => Date;
  /** Accept plain-http weight URLs (`--allow-http`). */
  readonly allowHttp?: boolean;
}

export interface RunResult {
  /** 0 finished, 1 user-facing error (see errors), 130 stopped on request after writing a resumable checkpoint. */
  readonly status: 0 | 1 | 130;
  readonly outputDir: string | null;
  /** Last metrics per evaluated split. */
  readonly metrics: Record<string, Record<string, number>>;
  readonly errors: string[];
  /** The tfjs backend the run used (null when none could be initialised). */
  readonly backend: string | null;
  /** The device behind it, and why it was chosen (e.g. `webgpu: NVIDIA RTX 4090 (requested)`). */
  readonly device: string | null;
  /** Mean loss of every finished epoch, in order (also in log.txt). */
  readonly epochLosses: number[];
  /** The checkpoint to resume from after a stop (status 130) or a fault of the machine or the data (status 1). */
  readonly resumePath: string | null;
}

interface RunState {
  outputDir: string | null;
  backend: string | null;
  device: string | null;
  metrics: Record<string, Record<string, number>>;
  epochLosses: number[];
  resumePath: string | null;
  /** The last checkpoint written, for the resume line of a fault. */
  lastSaved: string | null;
  log: RunLog | null;
}

export async function runExperiment(spec: RunSpec, opts: RunOptions): Promise<RunResult> {
  const state: RunState = { outputDir: null, backend: null, device: null, metrics: {}, epochLosses: [], resumePath: null, lastSaved: null, log: null };
  const finish = (status: 0 | 1 | 130, errors: string[] = []): RunResult => {
    state.log?.end(status, errors);
    const { log: _log, lastSaved: _saved, ...rest } = state;
    return { status, errors, ...rest };
  };
  try {
    return finish(await run(spec, opts, state));
  } catch (e) {
    if (e instanceof UserError) return finish(1, [e.message]);
    if (e instanceof RunFailed) return finish(1, e.errors);
    // A fault of the machine or the data (full disk, unreadable image): the error and the last good checkpoint.
    const fault = runFault(e, state.lastSaved ?? (spec.evaluate ? null : spec.resumeCkptPath));
    if (!fault) throw e;
    state.resumePath = fault.resumePath;
    return finish(1, [fault.message]);
  }
}

/** A run that ended with user-facing errors before or after training. */
class RunFailed extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join("; "));
  }
}

async function run(spec: RunSpec, opts: RunOptions, state: RunState): Promise<0 | 130> {
  const printer = opts.logger ?? silentLogger;
  // Warnings printed before the run folder exists (backend choice, weights loaded non-strictly) reach the listeners
  // (report.html) once it does.
  const early: string[] = [];
  const logger: Logger = { info: (m) => printer.info(m), warn: (m) => { printer.warn(m); early.push(m); } };
  const be = await initBackend(spec.backend);
  if (!be.ok) throw new RunFailed([`${be.message}; ${be.hint}`]);
  state.backend = be.name;
  state.device = be.device;
  be.warnings.forEach((w) => logger.warn(w));

  // The compiler refuses another runner (LV5013); a hand-written spec gets the same answer, never runner_base.
  if (!(TFJS_RUNNERS as readonly string[]).includes(spec.runner)) throw new RunFailed([`run.runner ${spec.runner} is not one the tfjs engine executes (${TFJS_RUNNERS.join(", ")}); run it with --engine lavis`]);
  let world = Math.max(1, spec.worldSize ?? 1);
  const refusal = world > 1 ? replicaRefusal(world, be.name, opts.dataFactory) : null;
  if (refusal && !spec.evaluate) throw new RunFailed([refusal]);
  if (refusal) {
    // An evaluation-only run means the same on one replica (the metrics do not depend on the sharding).
    logger.warn(`${refusal.split(";")[0]}: this evaluation-only run evaluates on one replica`);
    world = 1;
  }
  // The replica threads start now and build their models and data shards while rank 0 builds its own.
  const replicas = world > 1 ? ReplicaSet.launch({
    spec, world, backend: be.name === "cpu" ? "cpu" : "wasm", data: opts.dataFactory.replicable!, allowHttp: !!opts.allowHttp,
    afterRank0: downloadsFirst(spec), localStop: () => !!opts.stopSignal?.stopRequested,
  }) : null;
  let model: Model | null = null;
  let optimizer: AdamW | null = null;
  try {
    const prepared = await prepareRun(spec, opts.dataFactory, { allowHttp: !!opts.allowHttp, ...(world > 1 ? { shard: { rank: 0, world } } : {}) });
    if (!prepared.ok) throw new RunFailed(prepared.errors);
    model = prepared.model;
    const rng = stepRng(spec.seed);
    replicas?.share(model, rng);
    if (prepared.initial) loadInto(model, prepared.initial.model, spec.model.loadWeights!, false, logger);
    optimizer = new AdamW(model.trainable, adamWOptions(spec.optimizer));
    const resumed = prepared.resume ? restoreTraining(prepared.resume, spec.resumeCkptPath!, model, optimizer, rng) : null;
    const start = resumed?.start ?? { epoch: 0, skipSteps: 0, meters: null };
    const runDir = createRunDir(spec.outputDir, (opts.now ?? (() => new Date()))());
    state.outputDir = runDir;
    const log = (state.log = new RunLog(runDir, printer, opts.progress, opts.listeners ?? []));
    log.earlierWarnings(early);
    const checkpoints = new Checkpointer(runDir, spec, model, optimizer, rng, prepared.vocab, (path, reason) => {
      state.lastSaved = path;
      log.checkpoint(path, reason);
    }, resumed);
    log.start(be.name, be.device, be.reason);
    log.config(spec.config);
    for (const line of [decodingLine(spec, opts.dataFactory.decodeWorkers), vocabularyLine(spec, prepared)]) if (line) log.info(line);
    if (resumed) log.info(describeResume(resumed, spec.resumeCkptPath!, spec.evaluationNames));
    if (spec.evaluate) {
      if (replicas) {
        await replicasStarted(replicas, log);
        log.info(`${world} data-parallel replicas (run.world_size ${world}) share the test splits: rank 0 on this thread and ${world - 1} worker thread${world > 2 ? "s" : ""}, each on its own ${be.name} backend, with rank 0's weights`);
      }
      const evaluator = new Evaluator(spec, model, opts.dataFactory, log, replicas);
      state.metrics = evaluator.metrics;
      const sharing = evaluator.describeSharing();
      if (sharing) log.info(sharing);
      replicas?.startTest(null);
      for (const split of spec.testSplits) await evaluator.evaluate(split, "best");
      return 0;
    }
    if (replicas) {
      await replicasStarted(replicas, log);
      const set = replicas;
      checkpoints.replicaRngStates = () => set.reducer.replicaRngStates();
      const saved = prepared.resume?.meta?.replicaRng;
      if (saved?.length === world - 1) set.reducer.restoredReplicaRngStates(saved);
      else if (prepared.resume) log.info(`${spec.resumeCkptPath} was not written by ${world} replicas, so ranks 1..${world - 1} start their random streams afresh from seed + rank`);
      log.info(`${world} data-parallel replicas (run.world_size ${world}): rank 0 on this thread and ${world - 1} worker thread${world > 2 ? "s" : ""}, each on its own ${be.name} backend; batch_size_train ${spec.batchSizeTrain} per replica, ${spec.batchSizeTrain * world} per step; rank r seeds its random streams (augmentation, dataset choice, step sampling) with seed + r = ${spec.seed}..${spec.seed + world - 1}, parameters and the sampler's order with seed ${spec.seed}`);
    }
    const evaluator = new Evaluator(spec, model, opts.dataFactory, log, replicas);
    state.metrics = evaluator.metrics;
    const sharing = evaluator.describeSharing();
    if (sharing && (spec.validSplits.length || spec.testSplits.length)) log.info(sharing);
    const loop = await epochLoop(spec, prepared, optimizer, rng, log, checkpoints, evaluator, opts, start, replicas);
    state.epochLosses = loop.epochLosses;
    const outcome = await loop.run(start).catch(async (e: unknown) => {
      if (e instanceof ReplicaAborted && replicas) throw new RunFailed([`replica ${e.failedRank} of ${world} failed: ${await replicas.failure(e.failedRank)}`]);
      throw e;
    });
    if (replicas) log.info(describeReductionTime(replicas.reducer.stats));
    if (outcome.kind === "failed") throw new RunFailed([outcome.error]);
    if (outcome.kind === "stopped") {
      state.resumePath = outcome.resumePath;
      return 130;
    }
    // Test phase: with validation splits, the weights the runner's stdlib `test_weights` names (RunnerBase reloads
    // checkpoint_best; RunnerIter tests the last weights).
    if (spec.testSplits.length) {
      const testsBest = spec.validSplits.length > 0 && spec.testWeights !== "last";
      const best = testsBest && checkpoints.loadBest();
      if (testsBest && !best) log.warn(whyNoBestCheckpoint(spec, checkpoints.best, spec.resumeCkptPath));
      if (spec.validSplits.length && spec.testWeights === "last") log.info(`testing the last weights: ${spec.runner} tests the weights training ended with, never checkpoint_best`);
      // The last weights are tested under the name the runner gives them (RunnerBase: the last epoch; RunnerIter: the
      // train loader's epoch), never under "best".
      const label: number | "best" = best ? "best" : outcome.lastEpoch;
      const name = best ? "best" : evaluationName(spec.evaluationNames.testLast, loop.placeAfter(outcome.lastEpoch));
      replicas?.startTest(best ? checkpoints.bestPath : null);
      for (const split of spec.testSplits) await evaluator.evaluate(split, label, name);
    }
    return 0;
  } finally {
    await replicas?.close();
    optimizer?.dispose();
    model?.dispose();
  }
}

/** The replica threads have built their models and hold rank 0's parameters (DDP's broadcast when it wraps a model). */
async function replicasStarted(replicas: ReplicaSet, log: RunLog): Promise<void> {
  await replicas.started().catch((e: Error) => {
    throw new RunFailed([`the data-parallel replicas could not start: ${e.message}`]);
  });
  replicas.reducer.broadcastParameters();
  const cores = availableParallelism();
  if (replicas.world > cores) log.warn(diag("LV6003", null, { world: replicas.world, cores, slowdown: (replicas.world / cores).toFixed(1) }).message);
}

async function epochLoop(
  spec: RunSpec, prepared: PreparedRun, optimizer: AdamW, rng: Rng, log: RunLog, checkpoints: Checkpointer, evaluator: Evaluator, opts: RunOptions, start: StartPosition, replicas: ReplicaSet | null,
): Promise<EpochLoop> {
  const { source, stepsPerEpoch, batchesPerPass } = await trainingSource(spec, prepared, start.epoch);
  if (stepsPerEpoch < 1) throw new RunFailed([`the training split has fewer samples than one batch (${spec.batchSizeTrain}${replicas ? ` per replica, ${replicas.world} replicas` : ""}); LAVIS drops the last incomplete batch`]);
  if (prepared.resume) checkResumeStep(start, stepsPerEpoch, spec.resumeCkptPath!);
  const loaderStart = loaderStartIters(spec.evaluationNames.loaderRestartsOnResume, start, stepsPerEpoch);
  const afterResume = prepared.resume && loaderEpochAfterResume(spec.evaluationNames, loaderStart);
  if (afterResume) log.info(afterResume);
  return new EpochLoop({
    spec, model: prepared.model, optimizer, rng, source, schedule: prepared.schedule, stepsPerEpoch, batchesPerPass, maxEpoch: prepared.maxEpoch, loaderStart,
    log, checkpoints, evaluator, progress: opts.progress, stopSignal: replicas ? replicas.reducer.group : opts.stopSignal,
    ...(replicas ? { reducer: replicas.reducer } : {}),
  });
}
