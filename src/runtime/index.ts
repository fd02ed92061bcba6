// Public API of the training runtime.
export { runExperiment, loadInitialWeights, type RunOptions, type RunResult } from "./train/runExperiment.js";
export type { DataFactory, TrainLoaderLike } from "./train/dataFactory.js";
export type { ProgressReporter, StepProgress, EvalProgress, LossesRead, Logger, RunPhase, StopSignal } from "./train/progress.js";
export type { TrainBatch, RetrievalEvalData, Model } from "./models/model.js";
export { createModel, modelTextSettings, supportedArchs } from "./models/index.js";
export { initBackend, probeDevices, type BackendInfo, type BackendError } from "./backend/initBackend.js";
export type { RunListener } from "./train/runLog.js";
export { makeLrSchedule } from "./optim/lrSchedule.js";
export { loadCheckpoint } from "./checkpoint/checkpoint.js";
export { WordPieceTokenizer, buildVocab } from "./nn/tokenizer.js";
export { Rng } from "./train/rng.js";
export { dataModuleFactory, readTrainingTexts, type DataModuleOptions } from "./train/dataModuleFactory.js";
export { chooseVocabulary, vocabularyFromTexts, vocabularyFromFile, trainingSplits } from "./train/vocabulary.js";
export { stopOnSignals } from "./train/stopOnSignals.js";
