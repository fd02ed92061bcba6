// The LAVIS runner (RunnerBase / RunnerIter) on tfjs: epoch loop, per-micro-batch lr schedule, gradient accumulation,
// validation with best-checkpoint selection on "val", test evaluation, checkpoints, resume, stop requests and NaN stops.
import * as tf from "@tensorflow/tfjs";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TFJS_RUNNERS, type DatasetSpec, type RunSpec } from "../runSpec.js";
import { initBackend } from "../backend/initBackend.js";
import { makeLrSchedule } from "../optim/lrSchedule.js";
import { AdamW } from "../optim/adamW.js";
import { WordPieceTokenizer } from "../nn/tokenizer.js";
import { chooseVocabulary, trainingSplits } from "./vocabulary.js";
import { createModel, describeIssues, modelTextSettings, type Model } from "../models/index.js";
import { loadCheckpoint, saveCheckpoint, type CheckpointMeta, type LoadedCheckpoint } from "../checkpoint/checkpoint.js";
import { runFault } from "../checkpoint/runFault.js";
import { encodeSafetensors, type StTensor } from "../checkpoint/safetensors.js";
import { Rng } from "./rng.js";
import { BatchSource, type DataFactory, type NamedLoader } from "./dataFactory.js";
import { AtomicLog, createRunDir, fmt3, resultFile } from "./outputFiles.js";
import { writeFileAtomic } from "../../storage/index.js";
import { ensureWeightsFile } from "../data/cache.js";
import { pyDumps, pyInt, type PyValue } from "./pyJson.js";
import { silentLogger, type Logger, type ProgressReporter, type StopSignal } from "./progress.js";

export interface RunOptions {
  readonly dataFactory: DataFactory;
  readonly logger?: Logger;
  readonly progress?: ProgressReporter;
  readonly stopSignal?: StopSignal;
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
  readonly backend: string | null;
  /** Mean loss of every finished epoch, in order (also in log.txt). */
  readonly epochLosses: number[];
  /** The checkpoint to resume from after a stop (status 130) or a fault of the machine or the data (status 1). */
  readonly resumePath: string | null;
}

/** Raised inside the run for user-facing problems; converted to status 1 at the top. */
class UserError extends Error {}

type Meters = Map<string, { sum: number; count: number }>;

export async function runExperiment(spec: RunSpec, opts: RunOptions): Promise<RunResult> {
  const logger = opts.logger ?? silentLogger;
  const state = { outputDir: null as string | null, backend: null as string | null, metrics: {} as Record<string, Record<string, number>>, epochLosses: [] as number[], resumePath: null as string | null, lastSaved: null as string | null };
  const result = (status: 0 | 1 | 130, errors: string[] = []): RunResult => ({ status, errors, ...state });
  try {
    return await run(spec, opts, logger, state, result);
  } catch (e) {
    if (e instanceof UserError) return result(1, [e.message]);
    const fault = runFault(e, state.lastSaved ?? (spec.evaluate ? null : spec.resumeCkptPath));
    if (!fault) throw e;
    state.resumePath = fault.resumePath;
    return result(1, [fault.message]);
  }
}

async function run(
  spec: RunSpec,
  opts: RunOptions,
  logger: Logger,
  state: { outputDir: string | null; backend: string | null; metrics: Record<string, Record<string, number>>; epochLosses: number[]; resumePath: string | null; lastSaved: string | null },
  result: (status: 0 | 1 | 130, errors?: string[]) => RunResult,
): Promise<RunResult> {
  const be = await initBackend(spec.backend);
  if (!be.ok) return result(1, [`${be.message}; ${be.hint}`]);
  state.backend = be.name;
  be.warnings.forEach((w) => logger.warn(w));

  // The compiler refuses another runner (LV5013); a hand-written spec gets the same answer, never runner_base.
  if (!(TFJS_RUNNERS as readonly string[]).includes(spec.runner)) return result(1, [`run.runner ${spec.runner} is not one the tfjs engine executes (${TFJS_RUNNERS.join(", ")}); run it with --engine lavis`]);
  const isIter = spec.runner === "runner_iter";
  const itersPerInner = spec.itersPerInnerEpoch ?? 0;
  if (isIter && !(itersPerInner > 0 && (spec.maxIters ?? 0) > 0)) return result(1, ["runner_iter needs run.max_iters > 0 and run.iters_per_inner_epoch > 0"]);
  const maxEpoch = isIter ? Math.floor(spec.maxIters! / itersPerInner) : spec.maxEpoch;
  const sched = makeLrSchedule({ ...spec.schedule, maxEpoch });
  if (typeof sched === "string" && !spec.evaluate) return result(1, [sched]);
  const accum = Math.max(1, spec.accumGradIters);

  const textSettings = modelTextSettings(spec.model);
  if (Array.isArray(textSettings)) return result(1, textSettings);

  // Checkpoints to start from: resume (training state) or initial weights.
  const fromCkpt = (path: string, what: string): LoadedCheckpoint => {
    const r = loadCheckpoint(path);
    if (!r.ok) throw new UserError(`${what}: ${r.error}`);
    return r.ckpt;
  };
  const resume = !spec.evaluate && spec.resumeCkptPath ? fromCkpt(spec.resumeCkptPath, "run.resume_ckpt_path") : null;
  if (resume && !resume.meta) throw new UserError(`run.resume_ckpt_path ${spec.resumeCkptPath} has no .json half; a bare weights file cannot resume training`);
  const initial = spec.model.loadWeights ? fromCkpt(await ensureWeightsFile(spec.model.loadWeights, { allowHttp: !!opts.allowHttp, sha256: spec.model.loadWeightsSha256 ?? null }), "model weights") : null;

  // Training data.
  const trainLoaders: NamedLoader[] = [];
  if (!spec.evaluate) {
    for (const { dataset: ds, split } of trainingSplits(spec)) {
      const loader = await opts.dataFactory.train(ds, split, { batchSize: spec.batchSizeTrain, seed: spec.seed, dropLast: true });
      trainLoaders.push({ name: ds.name, loader });
    }
    if (!trainLoaders.length) return result(1, [`no dataset has a training split (${spec.trainSplits.join(", ") || "run.train_splits is empty"})`]);
  }

  // Vocabulary: the checkpoint's, a vocab.txt, or one built from the training texts.
  const chosen = chooseVocabulary(textSettings, resume?.meta?.vocab ?? initial?.meta?.vocab ?? null, () => trainLoaders.flatMap((l) => l.loader.texts ?? []));
  if (!chosen.ok) return result(1, [chosen.error]);
  const vocab = chosen.vocab;
  const tokenizer = new WordPieceTokenizer(vocab);

  const built = createModel(spec.model, tokenizer, spec.seed);
  if (Array.isArray(built)) return result(1, built);
  const model: Model = built;
  let optimizer: AdamW | null = null;
  try {
    if (initial) loadInto(model, initial.model, spec.model.loadWeights!, false, logger);
    const o = spec.optimizer;
    const opt = (optimizer = new AdamW(model.trainable, { weightDecay: o.weightDecay, beta1: o.betas[0], beta2: o.betas[1], eps: o.eps }));
    const rng = new Rng(Rng.derive(spec.seed, 0x7a11).nextUint32());
    let startEpoch = 0;
    let skipSteps = 0;
    let startMeters: Meters | null = null;
    let best = { aggMetrics: 0, epoch: 0 };
    /** Where checkpoint_best lives (after a resume it may be in the earlier run's directory). */
    let bestPath: string | null = null;
    if (resume) {
      const meta = resume.meta!;
      loadInto(model, resume.model, spec.resumeCkptPath!);
      restoreOptimizer(opt, resume, spec.resumeCkptPath!);
      rng.setState(meta.rng);
      best = { ...meta.best };
      const earlierBest = join(spec.resumeCkptPath!, "..", "checkpoint_best.json");
      if (existsSync(earlierBest)) bestPath = earlierBest;
      if (meta.partial) {
        startEpoch = meta.partial.epoch;
        skipSteps = meta.partial.step;
        startMeters = new Map(Object.entries(meta.partial.meters).map(([k, v]) => [k, { ...v }]));
      } else startEpoch = meta.epoch + 1;
    }

    const runDir = createRunDir(spec.outputDir, (opts.now ?? (() => new Date()))());
    state.outputDir = runDir;
    logger.info(`backend ${be.name}; output ${runDir}`);
    const log = new AtomicLog(join(runDir, "log.txt"));
    // result/<name>.json as LAVIS writes it (one merged file per split and epoch; a single process has no rank files).
    const writeResult = (name: string, records: readonly unknown[]) => writeFileAtomic(resultFile(runDir, `${name}.json`), JSON.stringify(records));
    // Per-query ranks of a retrieval-scored split (lavisc's; LAVIS writes none): intervals over test items need them.
    const writeRanks = (split: string, ranks: unknown) => writeFileAtomic(resultFile(runDir, `${split}_ranks.json`), JSON.stringify(ranks));
    const evalLog = new AtomicLog(join(runDir, "evaluate.txt"));
    log.append(JSON.stringify(spec.config, null, 4) + "\n");
    const emit = (target: AtomicLog, line: string) => {
      target.append(line + "\n");
      opts.progress?.onLog?.(line);
    };

    const save = (name: string, epoch: number, reason: string, partial: CheckpointMeta["partial"] = null): string => {
      const path = saveCheckpoint(runDir, name, model.stateDict(), toSt(opt.expAvg), toSt(opt.expAvgSq), {
        epoch,
        iters: isIter ? (epoch + 1) * itersPerInner : null,
        optimizer: { name: "adamw", step: opt.step, expAvgPrefix: "optimizer.exp_avg.", expAvgSqPrefix: "optimizer.exp_avg_sq.", hyper: { ...spec.optimizer, lr: spec.schedule.initLr } },
        rng: rng.state(),
        lrScheduler: { epoch: partial ? partial.epoch : epoch, step: partial ? partial.step : 0 },
        best,
        reason,
        vocab,
        partial,
        config: spec.config,
      });
      logger.info(`saved ${path}`);
      state.lastSaved = path;
      return path;
    };

    const evalSplit = async (split: string, epochLabel: number | "best"): Promise<Record<string, number> | null> => {
      const ds: DatasetSpec | undefined = spec.datasets.find((d) => d.splits.some((s) => s.split === split));
      if (!ds) {
        logger.warn(`no dataset has a "${split}" split; skipping its evaluation`);
        return null;
      }
      let metrics: Record<string, number>;
      if (spec.task === "retrieval" && model.evaluateRetrieval) {
        const data = await opts.dataFactory.retrievalEval(ds, split, { batchSize: spec.batchSizeEval });
        const scored = await model.evaluateRetrieval(data, spec.taskParams);
        metrics = scored.metrics;
        writeRanks(split, scored.ranks);
        emit(evalLog, pyDumps(metrics)); // RetrievalTask._report_metrics appends every evaluation to evaluate.txt
      } else if (model.evaluate && opts.dataFactory.evalSplit) {
        const loaded = opts.dataFactory.evalSplit.bind(opts.dataFactory);
        let cached: Awaited<ReturnType<NonNullable<DataFactory["evalSplit"]>>> | null = null;
        const get = async () => (cached ??= await loaded(ds, split, { batchSize: spec.batchSizeEval }));
        const outcome = await model.evaluate({
          task: spec.task, split, epoch: epochLabel, batchSize: spec.batchSizeEval, taskParams: spec.taskParams,
          batches: async () => (await get()).batches,
          extras: async () => (await get()).extras,
          log: (message) => logger.info(message),
        });
        metrics = outcome.metrics;
        if (outcome.result) writeResult(outcome.result.name, outcome.result.records);
        if (outcome.ranks) writeRanks(split, outcome.ranks);
        if (outcome.tensors) writeFileAtomic(resultFile(runDir, `${outcome.tensors.name}.safetensors`), encodeSafetensors(outcome.tensors.tensors, outcome.tensors.metadata));
        // Captioning and classification log {"<split>": metrics}; VQA-like tasks log the flat metrics (LAVIS e.2).
        emit(evalLog, pyDumps(spec.task === "captioning" || spec.task === "multimodal_classification" ? { [split]: metrics } : metrics));
      } else {
        throw new UserError(`evaluation for task ${spec.task} with ${model.arch} is not supported by the runtime yet`);
      }
      state.metrics[split] = metrics;
      opts.progress?.onEval?.({ split, epoch: epochLabel, metrics });
      return metrics;
    };

    if (spec.evaluate) {
      for (const split of spec.testSplits) await evalSplit(split, "best");
      return result(0);
    }

    const source = new BatchSource(trainLoaders, ratiosFor(trainLoaders, spec.trainDatasetRatios), spec.seed);
    const stepsPerEpoch = isIter ? itersPerInner : source.stepsPerEpoch();
    if (stepsPerEpoch < 1) return result(1, [`the training split has fewer samples than one batch (${spec.batchSizeTrain}); LAVIS drops the last incomplete batch`]);
    if (isIter) for (let e = 0; e < startEpoch; e++) await source.skip(e, itersPerInner);
    const schedule = sched as (epoch: number, step: number) => number;
    const vars = [...model.trainable.values()];
    const nameOf = new Map([...model.trainable].map(([n, v]) => [v.name, n]));

    let curEpoch = startEpoch;
    for (let epoch = startEpoch; epoch < maxEpoch; epoch++) {
      curEpoch = epoch;
      const meters: Meters = startMeters ?? new Map([["lr", { sum: 0, count: 0 }]]);
      const skip = epoch === startEpoch ? skipSteps : 0;
      startMeters = null;
      const stepsDone = { value: skip };
      const outcome = await trainEpoch(epoch, skip, meters, stepsDone);
      if (outcome === "stopped") {
        state.resumePath = save("checkpoint_interrupted", epoch - 1, "interrupt", { epoch, step: stepsDone.value, meters: Object.fromEntries(meters) });
        logger.warn(`stopped on request at epoch ${epoch}, step ${stepsDone.value}; resume with run.resume_ckpt_path=${state.resumePath}`);
        return result(130);
      }
      if (outcome !== "done") return result(1, [outcome]);
      const stats: Record<string, PyValue> = {};
      for (const [k, m] of meters) stats[`train_${k}`] = fmt3(m.sum / Math.max(m.count, 1));
      const lossMeter = meters.get("loss");
      state.epochLosses.push(lossMeter ? lossMeter.sum / Math.max(lossMeter.count, 1) : NaN);
      emit(log, pyDumps(stats));

      const validate = spec.validSplits.length > 0 && (isIter || epoch % Math.max(1, spec.valFreq) === 0);
      if (validate) {
        for (const split of spec.validSplits) {
          const m = await evalSplit(split, epoch);
          if (!m) continue;
          if (!("agg_metrics" in m)) throw new UserError(`no agg_metrics found in the ${split} evaluation`);
          if (m["agg_metrics"]! > best.aggMetrics && split === "val") {
            best = { aggMetrics: m["agg_metrics"]!, epoch: isIter ? (epoch + 1) * itersPerInner : epoch };
            bestPath = save("checkpoint_best", epoch, "best");
          }
          const line: Record<string, PyValue> = {};
          for (const [k, v] of Object.entries(m)) line[`${split}_${k}`] = v;
          line[isIter ? `${split}_best_iters` : `${split}_best_epoch`] = pyInt(best.epoch);
          emit(log, pyDumps(line));
        }
      }
      if (isIter) save(`checkpoint_${(epoch + 1) * itersPerInner}`, epoch, "epoch");
      else {
        if (!validate) save(`checkpoint_${epoch}`, epoch, "epoch");
        if (spec.saveFreq > 0 && epoch % spec.saveFreq === 0) save(`checkpoint_${epoch}`, epoch, "epoch");
      }
    }
    if (spec.saveLast && !isIter && maxEpoch > startEpoch) save(`checkpoint_${curEpoch}`, curEpoch, "last");

    // Test phase: with validation splits LAVIS evaluates the best checkpoint.
    if (spec.testSplits.length) {
      let label: number | "best" = curEpoch;
      if (spec.validSplits.length) {
        label = "best";
        if (bestPath) {
          const b = fromCkpt(bestPath, "best checkpoint");
          loadInto(model, b.model, bestPath);
        } else logger.warn("no validation improved on agg_metrics 0, so there is no best checkpoint; testing the last weights");
      }
      for (const split of spec.testSplits) await evalSplit(split, label);
    }
    return result(0);

    async function trainEpoch(epoch: number, skip: number, meters: Meters, done: { value: number }): Promise<"done" | "stopped" | string> {
      const it = source.batches(epoch, stepsPerEpoch, isIter)[Symbol.asyncIterator]();
      let acc: Record<string, tf.Tensor> | null = null;
      const started = performance.now();
      let waitMs = 0;
      try {
        for (let i = 0; i < stepsPerEpoch; i++) {
          if (i >= skip && i % accum === 0 && opts.stopSignal?.stopRequested) return "stopped";
          const w0 = performance.now();
          const next = await it.next();
          waitMs += performance.now() - w0;
          if (next.done) break;
          const batch = next.value;
          if (i < skip) {
            batch.image.dispose();
            continue;
          }
          const lr = schedule(epoch, i); // LAVIS steps the scheduler before the forward pass
          const prepared = model.prepareStep(batch, { epoch, iters: i, itersPerEpoch: stepsPerEpoch, rng });
          let comps: Record<string, number>;
          let grads: Record<string, tf.Tensor>;
          try {
            const r = tf.variableGrads(() => prepared.loss().div(accum) as tf.Scalar, vars);
            r.value.dispose();
            grads = {};
            for (const [k, g] of Object.entries(r.grads)) grads[nameOf.get(k) ?? k] = g;
            comps = prepared.components();
            const loss = comps["loss"];
            if (loss === undefined || !Number.isFinite(loss)) {
              tf.dispose(Object.values(grads));
              return `loss is ${loss} at epoch ${epoch}, step ${i}; the run stopped and the last good checkpoint is kept (lower the learning rate or check the data)`;
            }
            prepared.commit();
          } finally {
            prepared.dispose();
            batch.image.dispose();
          }
          if (acc === null) acc = grads;
          else {
            const prev: Record<string, tf.Tensor> = acc;
            acc = {};
            for (const k of Object.keys(grads)) acc[k] = prev[k] ? prev[k]!.add(grads[k]!) : grads[k]!;
            tf.dispose([...Object.values(prev), ...Object.values(grads)].filter((t) => !Object.values(acc!).includes(t)));
          }
          if ((i + 1) % accum === 0) {
            opt.apply(acc, lr);
            tf.dispose(Object.values(acc));
            acc = null;
          }
          meters.get("lr")!.sum += lr;
          meters.get("lr")!.count++;
          for (const [k, v] of Object.entries(comps)) {
            const m = meters.get(k) ?? { sum: 0, count: 0 };
            m.sum += v;
            m.count++;
            meters.set(k, m);
          }
          done.value = i + 1;
          const elapsed = (performance.now() - started) / 1000;
          const doneHere = i + 1 - skip;
          const itPerSec = doneHere / Math.max(elapsed, 1e-9);
          opts.progress?.onStep?.({
            epoch, step: i, steps: stepsPerEpoch, loss: comps["loss"]!, lr, itPerSec,
            etaSec: (stepsPerEpoch - i - 1) / Math.max(itPerSec, 1e-9), dataWaitShare: waitMs / Math.max(elapsed * 1000, 1e-9),
          });
          await new Promise((r) => setImmediate(r)); // lets signal handlers set stopRequested between steps
        }
        return "done";
      } finally {
        if (acc) tf.dispose(Object.values(acc)); // an incomplete accumulation at the epoch end is dropped
        await it.return?.(undefined);
      }
    }
  } finally {
    optimizer?.dispose();
    model.dispose();
  }
}

function loadInto(model: Model, tensors: ReadonlyMap<string, StTensor>, path: string, strict = true, logger: Logger = silentLogger): void {
  const issues = model.loadStateDict(tensors, strict);
  if (!issues) return;
  for (const note of issues.notes ?? []) logger.info(`${path}: ${note}`);
  if (!issues.loaded) {
    const none = !strict && !issues.mismatched.length && issues.missing.length > 0;
    throw new UserError(
      none
        ? `checkpoint ${path} holds none of the ${model.arch} model's tensors (${describeIssues(issues)})${issues.notes?.length ? `; it has: ${issues.notes.join("; ")}` : ""}. Is it a checkpoint of another architecture? See docs/checkpoints.md`
        : `checkpoint ${path} does not match the model: ${describeIssues(issues)}`,
    );
  }
  if (issues.missing.length || issues.unexpected.length || issues.mismatched.length) logger.warn(`loaded ${path} non-strictly (as LAVIS): ${describeIssues(issues)}`);
}

/**
 * Loads initial weights (`model.finetuned`/`pretrained`: a lavisc checkpoint or a LAVIS state dict in safetensors)
 * into `model` as the runner does; throws an Error with the user-facing message when they do not fit.
 */
export function loadInitialWeights(model: Model, path: string, logger: Logger = silentLogger): void {
  const r = loadCheckpoint(path);
  if (!r.ok) throw new Error(`model weights: ${r.error}`);
  try {
    loadInto(model, r.ckpt.model, path, false, logger);
  } catch (e) {
    throw e instanceof UserError ? new Error(e.message) : e;
  }
}

function restoreOptimizer(opt: AdamW, ckpt: LoadedCheckpoint, path: string): void {
  const problems: string[] = [];
  for (const [target, source, label] of [[opt.expAvg, ckpt.expAvg, "exp_avg"], [opt.expAvgSq, ckpt.expAvgSq, "exp_avg_sq"]] as const) {
    for (const [name, v] of target) {
      const t = source.get(name);
      if (!t) problems.push(`missing optimizer.${label}.${name}`);
      else if (t.shape.join(",") !== v.shape.join(",")) problems.push(`optimizer.${label}.${name} has shape [${t.shape}], expected [${v.shape}]`);
    }
  }
  if (problems.length) throw new UserError(`checkpoint ${path} has an incompatible optimizer state: ${problems.slice(0, 10).join("; ")}`);
  for (const [target, source] of [[opt.expAvg, ckpt.expAvg], [opt.expAvgSq, ckpt.expAvgSq]] as const) {
    for (const [name, v] of target) tf.tidy(() => v.assign(tf.tensor(Float32Array.from(source.get(name)!.data), v.shape)));
  }
  opt.step = ckpt.meta!.optimizer.step;
}

function toSt(vars: ReadonlyMap<string, tf.Variable>): Map<string, StTensor> {
  return new Map([...vars].map(([k, v]) => [k, { dtype: "F32" as const, shape: v.shape, data: Float32Array.from(v.dataSync()) }]));
}

function ratiosFor(loaders: readonly NamedLoader[], ratios: Readonly<Record<string, number>> | null): number[] {
  // Without explicit ratios LAVIS's MultiIterLoader weighs datasets equally... RunnerBase concatenates them instead,
  // which samples in proportion to size; we follow the latter.
  return loaders.map((l) => (ratios && ratios[l.name] !== undefined ? ratios[l.name]! : l.loader.batchesPerEpoch));
}
