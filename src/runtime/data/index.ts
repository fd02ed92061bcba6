// Public surface of the data runtime (what the trainer and the CLI import).
export type { Batch, Loader, LoaderOptions, LoaderStats } from "./loader.js";
export { createConcatLoader, createLoader, epochOrder, loaderFromSplit } from "./loader.js";
export type { EvalOptions, RetrievalEval, VqaEval } from "./evalLoaders.js";
export { createRetrievalEval, createVqaEval } from "./evalLoaders.js";
export type { BatchStream } from "./batchStream.js";
export { createBatchStream } from "./batchStream.js";
export type { SampleRecord, SplitData, VqaGroundTruth } from "./annotations.js";
export { readSplit } from "./annotations.js";
export { cacheDir, ensureAnnotationFile, resolveStorage } from "./cache.js";
export type { DataFinding, PreflightOptions, PreflightResult } from "./preflight.js";
export { preflightData } from "./preflight.js";
export { DataError, type DataErrorCode } from "./dataError.js";
export { shutdownPixelWorkers } from "./pixelPool.js";
export { createImageProcessor, UnsupportedProcessorError } from "./processors/imageProcessors.js";
export { createTextProcessor } from "./processors/textProcessors.js";
