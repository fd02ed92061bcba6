// The runtime's input: a fully resolved, plain-data description of one run.
// The compiler lowers a checked experiment into an execution graph whose `run` payload is exactly this
// shape; the runtime reads nothing else (no config files, no defaults of its own).

export type Backend = "auto" | "cpu" | "cuda" | "wasm" | "webgpu";

/** A processor as LAVIS names it, with every parameter resolved (`name` plus its parameters). */
export interface ProcessorSpec {
  readonly name: string; // e.g. blip_image_train, blip_image_eval, clip_image_train, blip_caption, blip_question
  readonly params: Readonly<Record<string, unknown>>;
}

/** One split's annotation and media locations, resolved from build_info. */
export interface SplitSource {
  readonly split: string; // train | val | test | ...
  /** Annotation files: local paths (absolute, or relative to `storageRoot`) already resolved; `url` downloads go to the cache. */
  readonly annotations: readonly { readonly url?: string; readonly storage: string; readonly md5?: string; readonly sha256?: string }[];
}

export interface DatasetSpec {
  readonly name: string; // builder name, e.g. coco_retrieval, shapes_retrieval
  readonly builder: string;
  readonly type: string; // dataset type (default, eval, ...)
  readonly dataType: "images" | "videos" | "features" | "audio" | string;
  /** Kind of annotation records: decides how records are read. */
  readonly format: "caption" | "retrieval" | "vqa" | "classification";
  /**
   * VQA: how the builder's training dataset reads answers (its stdlib `train_answers`): the record key, and `share`
   * (distinct answers weighted count / len, COCOVQADataset) or a fixed weight for the one answer (VGVQADataset: 0.2,
   * GQADataset: 1). Absent: an undeclared builder, read leniently (`answer`, `answers` or `direct_answers`).
   */
  readonly trainAnswers?: { readonly field: string; readonly weight: "share" | number };
  /** Root folder of the images (build_info.images.storage), absolute. */
  readonly imageRoot: string;
  /** Where relative annotation `storage` paths live (LAVIS's cache_root); absent: the download cache ($LAVISC_CACHE). */
  readonly storageRoot?: string;
  /** Built-in dataset (`lavisc data prepare NAME`) that makes this dataset's files; its storage paths are under the data root ($LAVISC_DATA). */
  readonly prepare?: string;
  readonly splits: readonly SplitSource[];
  readonly visProcessor: { readonly train?: ProcessorSpec; readonly eval?: ProcessorSpec };
  readonly textProcessor: { readonly train?: ProcessorSpec; readonly eval?: ProcessorSpec };
}

export interface ModelSpec {
  readonly arch: string; // blip_retrieval, ...
  readonly modelType: string;
  /** The resolved model config (LAVIS keys: vit_type, image_size, embed_dim, queue_size, alpha, momentum, ...). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Weights to load before training/evaluation, if any (local path or URL). */
  readonly loadWeights: string | null;
  /** The key `loadWeights` comes from (`finetuned` or `pretrained`, as LAVIS's loading picks it); absent with none. */
  readonly loadWeightsKey?: "finetuned" | "pretrained";
  /** Their expected sha256 (`finetuned_sha256` / `pretrained_sha256`), verified before loading; absent: not checked. */
  readonly loadWeightsSha256?: string | null;
  /** `finetuned_from`: the project whose best checkpoint becomes `loadWeights` (found or trained by `lavisc run`). */
  readonly weightsFrom?: string | null;
  /**
   * The text length retrieval evaluation pads and truncates to (LAVIS's compute_sim_matrix: 35, whatever max_txt_len;
   * the arch's `retrieval_eval_txt_len`, stdlib/evaluation.lv). Absent: the model's max_txt_len.
   */
  readonly retrievalEvalTxtLen?: number;
  /**
   * The score retrieval evaluation gives the pairs its ITM re-ranking does not score (LAVIS's compute_sim_matrix:
   * -100.0; the arch's `retrieval_score_fill`, stdlib/evaluation.lv). Required by an arch that evaluates retrieval.
   */
  readonly retrievalScoreFill?: number;
  /**
   * The arch is a repository's own (`.lavisc/`, not the stdlib's): its from_config decides what it loads, which lavisc
   * does not know; `loadWeights` is then only what LAVIS's load_checkpoint_from_config would pick.
   */
  readonly weightsByOwnCode?: true;
}

/** The lr schedulers and runners the tfjs engine executes; another one (a fork's) runs only with `--engine lavis`. */
export const TFJS_SCHEDULERS = ["linear_warmup_cosine_lr", "linear_warmup_step_lr", "constant_lr"] as const;
export const TFJS_RUNNERS = ["runner_base", "runner_iter"] as const;
/**
 * The archs the tfjs engine builds: exactly the keys of the runtime's model registry (models/index.ts, whose type
 * requires one entry per name), here so that the compiler reads them without loading TensorFlow.js.
 */
export const TFJS_ARCHS = ["blip_retrieval", "blip_caption", "blip_vqa", "blip_classification", "albef_classification", "blip_feature_extractor", "clip"] as const;
export type TfjsArch = (typeof TFJS_ARCHS)[number];
/** The `data_type`s the tfjs engine loads (data/loader.ts); video, audio and feature datasets run only with LAVIS. */
export const TFJS_DATA_TYPES = ["images"] as const;

/**
 * Image-decoding worker threads of the tfjs engine's loaders when `lavisc run --workers` is not given (per replica).
 * LAVIS's `run.num_workers` sizes its DataLoader worker processes per GPU; the tfjs engine does not read it.
 */
export const DEFAULT_DECODE_WORKERS = 1;

/** Metrics of a task's list (its stdlib `metrics`) that the tfjs engine does not compute, and why. */
export interface MetricsNotComputed {
  readonly metrics: readonly string[];
  /** A clause: "pycocoevalcap runs them in Java". */
  readonly why: string;
}

/** Per task, the metrics LAVIS reports that only `--engine lavis` computes; every other metric of the list the tfjs engine computes. */
export const TFJS_METRICS_NOT_COMPUTED: Readonly<Record<string, MetricsNotComputed>> = {
  captioning: { metrics: ["METEOR", "SPICE"], why: "pycocoevalcap runs them in Java" },
};

export interface ScheduleSpec {
  /** One of TFJS_SCHEDULERS when the compiler reported nothing; the name as written otherwise. */
  readonly name: string;
  readonly initLr: number;
  readonly minLr: number;
  readonly warmupLr: number; // already defaulted (= initLr when absent)
  readonly warmupSteps: number;
  readonly decayRate: number | null;
  /** The scheduler's max_epoch (cosine's period): RunSpec.maxEpoch, or runner_iter's int(max_iters / iters_per_inner_epoch). */
  readonly maxEpoch: number;
}

export interface OptimizerSpec {
  readonly name: "adamw";
  readonly weightDecay: number;
  readonly betas: readonly [number, number];
  readonly eps: number;
  /** The parameters trained without weight decay (the runner's stdlib `adamw`: RunnerBase's second parameter group). */
  readonly noDecay: NoDecayRule;
}

/** No weight decay for a parameter with fewer than `belowNdim` dimensions or a name containing one of `nameContains`. */
export interface NoDecayRule {
  readonly belowNdim: number;
  readonly nameContains: readonly string[];
}

/**
 * How a VQA-like task scores answers other than by the official VQAv2 accuracy (its stdlib `vqa_scoring`, accuracy
 * `matches`: AOKVQATask, GQATask in lavis/tasks/vqa.py): per question min(1, ground-truth answers equal to the prediction
 * / fullCreditMatches), the prediction normalised as VQAEval does (processPunctuation, then processDigitArticle) when
 * `normalisePrediction`, each ground-truth answer the same way when `normaliseGroundTruth`; the mean × 100 is reported
 * under agg_metrics and each of `metricKeys`.
 */
export interface VqaMatchScoring {
  readonly accuracy: "matches";
  readonly fullCreditMatches: number;
  readonly normalisePrediction: boolean;
  readonly normaliseGroundTruth: boolean;
  readonly metricKeys: readonly string[];
}

/**
 * What the runner calls its evaluations (its stdlib `evaluation_names`), as templates of `{epoch}` (the loop's (inner)
 * epoch), `{iters}` (the iterations done at its end) and `{loader_epoch}` (the passes over the training data the train
 * loader has finished): the `epoch` it hands the task's after_evaluation after a validation (`validation`) and in a
 * test of the last weights (`testLast`; a test of checkpoint_best is "best"), which names the result files
 * (`{split}_epoch{epoch}.json`), and log.txt's key and value of the best validation so far (`bestKey`, `bestValue`).
 * Filled in by `runFiles.ts`'s evaluationName.
 */
export interface EvaluationNames {
  readonly validation: string;
  readonly testLast: string;
  readonly bestKey: string;
  readonly bestValue: string;
  /**
   * A resumed run builds a new train loader, so `{loader_epoch}` counts the passes since the resume, not since the
   * run's start (`loader_restarts_on_resume`; `../innerEpochs.ts` loaderStartIters).
   */
  readonly loaderRestartsOnResume: boolean;
}

export interface RunSpec {
  readonly version: 1;
  readonly task: string; // retrieval | captioning | vqa | multimodal_classification | ...
  /** One of TFJS_RUNNERS when the compiler reported nothing; the name as written otherwise. */
  readonly runner: string;
  readonly backend: Backend;
  readonly seed: number;
  readonly model: ModelSpec;
  readonly datasets: readonly DatasetSpec[];
  readonly optimizer: OptimizerSpec;
  readonly schedule: ScheduleSpec;
  readonly batchSizeTrain: number;
  readonly batchSizeEval: number;
  readonly accumGradIters: number;
  /**
   * Epochs the loop runs; runner_iter: its inner epochs, ceil(max_iters / iters_per_inner_epoch) (`innerEpochs.ts`),
   * where `schedule.maxEpoch` is LAVIS's int(max_iters / iters_per_inner_epoch).
   */
  readonly maxEpoch: number;
  readonly maxIters: number | null; // runner_iter
  readonly itersPerInnerEpoch: number | null; // runner_iter
  readonly trainDatasetRatios: Readonly<Record<string, number>> | null;
  readonly trainSplits: readonly string[];
  readonly validSplits: readonly string[];
  readonly testSplits: readonly string[];
  readonly evaluate: boolean;
  readonly valFreq: number;
  /**
   * The validation split whose agg_metrics picks checkpoint_best (the runner's stdlib `best_split`: val for LAVIS's
   * runners); null or absent when the runner's rule is unknown (a fork's runner).
   */
  readonly bestSplit?: string | null;
  /**
   * The weights the test phase after training evaluates when there are validation splits (the runner's stdlib
   * `test_weights`): `best` reloads checkpoint_best (RunnerBase), `last` tests the weights training ended with
   * (RunnerIter); null or absent (a fork's runner): `best`.
   */
  readonly testWeights?: "best" | "last" | null;
  /** What the runner calls its evaluations and its best validation (RunnerBase: the epoch; RunnerIter: the iterations). */
  readonly evaluationNames: EvaluationNames;
  readonly saveFreq: number;
  readonly saveLast: boolean;
  /** Steps between reads of the training losses from the device (LAVIS's log_freq); absent: 50. */
  readonly logFreq?: number;
  /** Data-parallel replicas in worker threads (run.world_size when run.distributed); absent: 1. */
  readonly worldSize?: number;
  /**
   * run.use_dist_eval_sampler (LAVIS default true): with replicas, the valid/test splits are sharded across the
   * ranks and the results merged on rank 0; false: rank 0 evaluates alone. Absent: true.
   */
  readonly useDistEvalSampler?: boolean;
  readonly outputDir: string; // absolute or relative to the working directory
  readonly resumeCkptPath: string | null;
  /**
   * A VQA task's scoring where it is not VQATask's official VQAv2 accuracy (stdlib `vqa_scoring { accuracy = matches }`:
   * aok_vqa, gqa). Absent: the VQAv2 accuracy (`accuracy = vqav2`, or a task that declares none).
   */
  readonly vqaScoring?: VqaMatchScoring;
  /**
   * Task-specific evaluation/generation settings: k_test, max_len, min_len, num_beams, ... (LAVIS names); where the task
   * generates, the arch's `generate_fixed` values (stdlib/evaluation.lv) replace the recipe's.
   */
  readonly taskParams: Readonly<Record<string, unknown>>;
  /** The resolved LAVIS-shaped config ({model, datasets, run, ...}), written at the top of log.txt and into checkpoints. */
  readonly config: Readonly<Record<string, unknown>>;
}
