// What a run needs before its first step, checked in LAVIS's order: the runner's settings, the lr schedule, the
// checkpoints to start from, the training loaders, the vocabulary and the model. Problems come back as messages.
import type { RunSpec } from "../runSpec.js";
import { makeLrSchedule } from "../optim/lrSchedule.js";
import { innerEpochs } from "../innerEpochs.js";
import { WordPieceTokenizer } from "../nn/tokenizer.js";
import { createModel, modelTextSettings, type Model } from "../models/index.js";
import type { LoadedCheckpoint } from "../checkpoint/checkpoint.js";
import { ensureWeightsFile } from "../data/cache.js";
import { trainingLoaders } from "./trainingLoaders.js";
import { chooseVocabulary } from "./vocabulary.js";
import { readCheckpoint } from "./checkpointing.js";
import { rankSeed } from "./rng.js";
import { BatchSource, type DataFactory, type NamedLoader, type TrainLoaderOptions } from "./dataFactory.js";

export interface PreparedRun {
  readonly ok: true;
  readonly model: Model;
  readonly vocab: readonly string[];
  /** Where the vocabulary came from: a lavisc checkpoint's, `model.vocab_file`, or built from the training texts. */
  readonly vocabSource: "checkpoint" | "file" | "built";
  readonly trainLoaders: readonly NamedLoader[];
  /** lr before each step's forward pass (LAVIS steps the scheduler with epoch and step-in-epoch). */
  readonly schedule: (epoch: number, step: number) => number;
  /** Epochs the loop runs, or runner_iter's inner epochs (ceil(max_iters / iters_per_inner_epoch), `../innerEpochs.ts`). */
  readonly maxEpoch: number;
  /** Training state to resume from (run.resume_ckpt_path). */
  readonly resume: LoadedCheckpoint | null;
  /** Initial weights (model.finetuned / pretrained). */
  readonly initial: LoadedCheckpoint | null;
}

export async function prepareRun(spec: RunSpec, data: DataFactory, opts: { readonly allowHttp: boolean; readonly shard?: TrainLoaderOptions["shard"] }): Promise<PreparedRun | { ok: false; errors: string[] }> {
  const fail = (...errors: string[]) => ({ ok: false as const, errors });
  const isIter = spec.runner === "runner_iter";
  const itersPerInner = spec.itersPerInnerEpoch ?? 0;
  if (isIter && !(itersPerInner > 0 && (spec.maxIters ?? 0) > 0)) return fail("runner_iter needs run.max_iters > 0 and run.iters_per_inner_epoch > 0");
  // runner_iter: a last, partial stretch of max_iters is a whole inner epoch, which the scheduler's max_epoch leaves out.
  const inner = isIter ? innerEpochs(spec.maxIters!, itersPerInner) : null;
  const maxEpoch = inner ? inner.run : spec.maxEpoch;
  const sched = makeLrSchedule({ ...spec.schedule, maxEpoch: inner ? inner.scheduled : spec.maxEpoch });
  if (typeof sched === "string" && !spec.evaluate) return fail(sched);
  const schedule = typeof sched === "string" ? () => spec.schedule.initLr : sched;

  const textSettings = modelTextSettings(spec.model);
  if (Array.isArray(textSettings)) return fail(...textSettings);

  const resume = !spec.evaluate && spec.resumeCkptPath ? readCheckpoint(spec.resumeCkptPath, "run.resume_ckpt_path") : null;
  if (resume && !resume.meta) return fail(`run.resume_ckpt_path ${spec.resumeCkptPath} has no .json half; a bare weights file cannot resume training`);
  const weights = spec.model.loadWeights;
  const initial = weights ? readCheckpoint(await ensureWeightsFile(weights, { allowHttp: opts.allowHttp, sha256: spec.model.loadWeightsSha256 ?? null }), "model weights") : null;

  const trainLoaders: NamedLoader[] = [];
  if (!spec.evaluate) {
    // runner_base concatenates the datasets of a split (ConcatDataset); runner_iter samples them by their ratios.
    trainLoaders.push(...(await trainingLoaders(spec, data, opts.shard)));
    if (!trainLoaders.length) return fail(`no dataset has a training split (${spec.trainSplits.join(", ") || "run.train_splits is empty"})`);
  }

  // Vocabulary: the checkpoint's, a vocab.txt, or one built from the training texts.
  const chosen = chooseVocabulary(textSettings, resume?.meta?.vocab ?? initial?.meta?.vocab ?? null, () => trainLoaders.flatMap((l) => l.loader.texts ?? []));
  if (!chosen.ok) return fail(chosen.error);
  const built = createModel(spec.model, new WordPieceTokenizer(chosen.vocab), spec.seed);
  if (Array.isArray(built)) return fail(...built);
  return { ok: true, model: built, vocab: chosen.vocab, vocabSource: chosen.source, trainLoaders, schedule, maxEpoch, resume, initial };
}

/**
 * The batches of every (inner) epoch and how many steps one has; a runner_iter resume replays the consumed epochs.
 * Data-parallel rank `rank` draws its datasets with seed + rank (MultiIterLoader's `random.choices` per process).
 */
export async function trainingSource(spec: RunSpec, prepared: PreparedRun, startEpoch: number, rank = 0): Promise<{ source: BatchSource; stepsPerEpoch: number; batchesPerPass: number | null }> {
  const isIter = spec.runner === "runner_iter";
  const itersPerInner = spec.itersPerInnerEpoch ?? 0;
  const source = new BatchSource(prepared.trainLoaders, ratiosFor(prepared.trainLoaders, spec.trainDatasetRatios), rankSeed(spec.seed, rank));
  const stepsPerEpoch = isIter ? itersPerInner : source.stepsPerEpoch();
  if (stepsPerEpoch >= 1 && isIter) for (let e = 0; e < startEpoch; e++) await source.skip(e, itersPerInner);
  return { source, stepsPerEpoch, batchesPerPass: batchesPerPass(prepared.trainLoaders, spec.trainDatasetRatios, source) };
}

/**
 * The batches of one pass of the train loader, whose `epoch` counts them (`../innerEpochs.ts` loaderEpoch): every
 * training dataset's (LAVIS concatenates them without train_dataset_ratios; lavisc samples them in proportion to their
 * size, ratiosFor); null for several datasets sampled by their ratios, LAVIS's MultiIterLoader, which has no epoch.
 */
function batchesPerPass(loaders: readonly NamedLoader[], ratios: RunSpec["trainDatasetRatios"], source: BatchSource): number | null {
  return loaders.length > 1 && ratios ? null : source.stepsPerEpoch();
}

function ratiosFor(loaders: readonly NamedLoader[], ratios: Readonly<Record<string, number>> | null): number[] {
  // Without explicit ratios LAVIS's MultiIterLoader weighs datasets equally... RunnerBase concatenates them instead,
  // which samples in proportion to size; we follow the latter.
  return loaders.map((l) => (ratios && ratios[l.name] !== undefined ? ratios[l.name]! : l.loader.batchesPerEpoch));
}
