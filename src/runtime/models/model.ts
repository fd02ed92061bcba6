// The interface every runtime model implements, so the training loop is independent of the architecture.
import * as tf from "@tensorflow/tfjs";
import type { StTensor } from "../checkpoint/safetensors.js";
import type { RetrievalOutcome, RetrievalRanks } from "../metrics/retrievalMetrics.js";
import type { Rng } from "../train/rng.js";
import type { VqaMatchScoring } from "../runSpec.js";

/** What the training loop hands a model for one micro-batch (a subset of the data module's Batch). */
export interface TrainBatch {
  readonly image: tf.Tensor4D;
  readonly text: readonly string[];
  /** Contiguous image index: equal ids mark positives (LAVIS `image_id` of retrieval train datasets). */
  readonly imageIds: readonly number[];
  /** Class index per sample (classification). */
  readonly labels?: readonly number[];
  /** Ground-truth answers and their weights per sample (VQA, LAVIS's VQADataset collater). */
  readonly answers?: readonly (readonly string[])[];
  readonly answerWeights?: readonly (readonly number[])[];
}

/** What a model's own evaluation gets: the data layer, the task's settings and where to write result files. */
export interface EvalContext {
  readonly task: string;
  readonly split: string;
  /**
   * What the runner passes to the task's after_evaluation as `epoch`, which names the result file
   * (`{split}_epoch{epoch}`): an epoch number, "best", or RunnerIter's "<loader epoch>_iters=<iters>".
   */
  readonly epoch: number | string;
  readonly batchSize: number;
  readonly taskParams: Readonly<Record<string, unknown>>;
  /** A VQA task's scoring where it is not the official VQAv2 accuracy (RunSpec.vqaScoring: aok_vqa, gqa). */
  readonly vqaScoring?: VqaMatchScoring;
  /** Batches of the split in order, no augmentation (the data module's eval loader); the consumer disposes `image`. */
  batches(): Promise<AsyncIterable<EvalBatch>>;
  /** Extra split data: every record, the VQA answer list and ground truth, classification class names, a retrieval split's texts and maps. */
  readonly extras: () => Promise<Readonly<Record<string, unknown>>>;
  /** An info line for the run's log (e.g. metrics that are not computed). */
  readonly log?: (message: string) => void;
  /**
   * Sharded evaluation (data-parallel replicas, run.use_dist_eval_sampler): `batches` hold this rank's shard; the
   * model passes its result records (one per sample, in batch order) and scores what comes back: every rank's
   * records in the split's order on rank 0, null on the other ranks (whose evaluate then returns null).
   */
  readonly merge?: <T>(records: readonly T[]) => Promise<T[] | null>;
}

/** An evaluation batch: a train batch plus ids and references for scoring. */
export interface EvalBatch extends TrainBatch {
  readonly instanceIds?: readonly string[];
  readonly questionIds?: readonly (string | number)[];
  readonly sourceImageIds?: readonly (string | number)[];
  /** Reference captions per sample (captioning). */
  readonly references?: readonly (readonly string[])[];
}

/** Metrics in LAVIS's names (with agg_metrics) and the result file LAVIS writes for the split, if any. */
export interface EvalOutcome {
  readonly metrics: Record<string, number>;
  /** `result/<name>.json` content (e.g. captioning `val_epoch0.json`, VQA `val_vqa_result.json`). */
  readonly result?: { readonly name: string; readonly records: readonly unknown[] };
  /** `result/<name>.safetensors` content (lavisc's feature_extraction: one tensor per feature, rows in the result's order). */
  readonly tensors?: { readonly name: string; readonly tensors: ReadonlyMap<string, StTensor>; readonly metadata?: Record<string, string> };
  /** Retrieval-scored splits: each query's rank (`result/<split>_ranks.json`). */
  readonly ranks?: RetrievalRanks;
}

export interface StepContext {
  readonly epoch: number;
  /** Step inside the (inner) epoch. */
  readonly iters: number;
  readonly itersPerEpoch: number;
  readonly rng: Rng;
  /** The other data-parallel replicas (run.world_size > 1), for what LAVIS's models gather across ranks. */
  readonly replicas?: CrossReplica;
}

/** torch.distributed as a model step sees it: every replica calls `allGather` at the same point of the same step. */
export interface CrossReplica {
  readonly rank: number;
  readonly world: number;
  /** concat_all_gather: every replica's `values` (the same length on all), concatenated in rank order. */
  allGather(values: Float32Array): Float32Array;
}

export interface PreparedStep {
  /** Differentiable loss of the micro-batch; called inside tf.variableGrads over `trainable`. */
  loss(): tf.Scalar;
  /**
   * Named loss components of the last `loss()` call (LAVIS logs every output key containing "loss"; `loss` first),
   * as scalars on the device: nothing is read here. The caller owns them.
   */
  components(): Record<string, tf.Scalar>;
  /** No-grad state updates after the forward pass (queues); called once after `loss()`. */
  commit(): void;
  dispose(): void;
}

/** The loss values a step's `loss()` computes inside the gradient tape, kept (as tensors) until `components()` takes them. */
export class KeptLosses {
  private kept: [string, tf.Scalar][] = [];

  /** Replaces what is kept by clones of `parts` (safe from the tape's and tidy's disposal). */
  keep(parts: Readonly<Record<string, tf.Tensor>>): void {
    this.dispose();
    this.kept = Object.entries(parts).map(([k, t]) => [k, tf.keep(t.clone()) as tf.Scalar]);
  }

  /** The kept scalars; ownership passes to the caller. */
  take(): Record<string, tf.Scalar> {
    const out = Object.fromEntries(this.kept);
    this.kept = [];
    return out;
  }

  dispose(): void {
    for (const [, t] of this.kept) t.dispose();
    this.kept = [];
  }
}

/** compute_sim_matrix's split of the re-ranking rows across the ranks, and the merge of their scores on rank 0. */
export interface RetrievalRows {
  readonly rank: number;
  readonly world: number;
  /** Every rank's `part`, in rank order, on rank 0; null on the other ranks. */
  merge(part: unknown): Promise<unknown[] | null>;
}

/** Retrieval evaluation input (RetrievalEvalDataset). */
export interface RetrievalEvalData {
  readonly imageBatches: AsyncIterable<{ readonly image: tf.Tensor4D }>;
  readonly texts: readonly string[];
  readonly img2txt: readonly (readonly number[])[];
  readonly txt2img: readonly number[];
}

export interface StateDictIssues {
  readonly missing: string[];
  readonly unexpected: string[];
  readonly mismatched: { name: string; expected: number[]; got: number[] }[];
  /** What loading did besides (skipped modules, reshaped position embeddings), for the run's log. */
  readonly notes?: string[];
}

export interface Model {
  readonly arch: string;
  /** Trainable parameters by state-dict name. */
  readonly trainable: ReadonlyMap<string, tf.Variable>;
  prepareStep(batch: TrainBatch, ctx: StepContext): PreparedStep;
  /** Evaluation for tasks other than retrieval (captioning, VQA, classification, ...). */
  evaluate?(ctx: EvalContext): Promise<EvalOutcome | null>;
  /**
   * Runs the task's evaluation and returns LAVIS's metrics (including agg_metrics). With `rows` (data-parallel
   * replicas), this rank scores its share of the rows and rank 0 gets the merged result (null on the others).
   */
  evaluateRetrieval?(data: RetrievalEvalData, taskParams: Readonly<Record<string, unknown>>, rows?: RetrievalRows): Promise<RetrievalOutcome | null>;
  /** Every tensor (trainable, momentum copies and buffers) by LAVIS state-dict name, read from the device. */
  stateDict(): Promise<Map<string, StTensor>>;
  /**
   * strict (resume): nothing changes unless every name and shape matches; returns the issues otherwise.
   * non-strict (initial weights, as LAVIS load_checkpoint with strict=False): shape mismatches are still refused;
   * matching tensors load, missing/unexpected names are returned as warnings (`loaded` is true).
   */
  loadStateDict(state: ReadonlyMap<string, StTensor>, strict: boolean): (StateDictIssues & { loaded: boolean }) | null;
  dispose(): void;
}

/**
 * The problems of a state dict against a model in one paragraph: counts, the first few names of each kind, and what to
 * do about them.
 */
export function describeIssues(issues: StateDictIssues, limit = 5): string {
  const parts: string[] = [];
  const list = (xs: readonly string[]) => xs.slice(0, limit).join(", ") + (xs.length > limit ? `, … (${xs.length - limit} more)` : "");
  const count = (n: number) => `${n} tensor${n === 1 ? "" : "s"}`;
  if (issues.mismatched.length) parts.push(`shape mismatch in ${count(issues.mismatched.length)}: ${list(issues.mismatched.map((m) => `${m.name} (checkpoint [${m.got}], model [${m.expected}])`))}`);
  if (issues.missing.length) parts.push(`missing ${count(issues.missing.length)}: ${list(issues.missing)}`);
  if (issues.unexpected.length) parts.push(`unexpected ${count(issues.unexpected.length)}: ${list(issues.unexpected)}`);
  const hints: string[] = [];
  const words = issues.mismatched.find((m) => /word_embeddings\.weight$|cls\.predictions\.bias$/.test(m.name));
  if (words) {
    hints.push(
      `the vocabularies differ (checkpoint ${words.got[0]} tokens, model ${words.expected[0]}): for a LAVIS BLIP checkpoint (30524 rows) set ` +
        `model.vocab_file to bert-base-uncased's vocab.txt (lavisc adds [DEC] and [ENC]); for a lavisc one, the vocab_file it was trained with`,
    );
  }
  if (issues.mismatched.some((m) => m !== words && !/word_embeddings\.weight$|cls\.predictions\.bias$/.test(m.name))) {
    hints.push("the checkpoint was made for a model of another size: set the model's size keys (vit_type or vit_width/vit_depth, text_width/text_layers, patch_size, embed_dim, queue_size, max_txt_len …) to the checkpoint's");
  }
  if (!issues.mismatched.length && issues.missing.length && issues.unexpected.length) {
    hints.push("if most names differ, the checkpoint is probably for another architecture (model.arch) or not a LAVIS/lavisc state dict; see docs/checkpoints.md");
  }
  return parts.join("; ") + (hints.length ? `. To fix: ${hints.join("; ")}` : "");
}
