// The interface every runtime model implements, so the training loop is independent of the architecture.
import type * as tf from "@tensorflow/tfjs";
import type { StTensor } from "../checkpoint/safetensors.js";
import type { Rng } from "../train/rng.js";

/** What the training loop hands a model for one micro-batch (a subset of the data module's Batch). */
export interface TrainBatch {
  readonly image: tf.Tensor4D;
  readonly text: readonly string[];
  /** Contiguous image index: equal ids mark positives (LAVIS `image_id` of retrieval train datasets). */
  readonly imageIds: readonly number[];
}

export interface StepContext {
  readonly epoch: number;
  /** Step inside the (inner) epoch. */
  readonly iters: number;
  readonly itersPerEpoch: number;
  readonly rng: Rng;
}

export interface PreparedStep {
  /** Differentiable loss of the micro-batch; called inside tf.variableGrads over `trainable`. */
  loss(): tf.Scalar;
  /** Named loss components of the last `loss()` call (LAVIS logs every output key containing "loss"). */
  components(): Record<string, number>;
  /** No-grad state updates after the forward pass (queues); called once after `loss()`. */
  commit(): void;
  dispose(): void;
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
}

export interface Model {
  readonly arch: string;
  /** Trainable parameters by state-dict name. */
  readonly trainable: ReadonlyMap<string, tf.Variable>;
  prepareStep(batch: TrainBatch, ctx: StepContext): PreparedStep;
  /** Runs the task's evaluation and returns LAVIS's metrics (including agg_metrics). */
  evaluateRetrieval?(data: RetrievalEvalData, taskParams: Readonly<Record<string, unknown>>): Promise<Record<string, number>>;
  /** Every tensor (trainable, momentum copies and buffers) by LAVIS state-dict name. */
  stateDict(): Map<string, StTensor>;
  /**
   * strict (resume): nothing changes unless every name and shape matches; returns the issues otherwise.
   * non-strict (initial weights, as LAVIS load_checkpoint with strict=False): shape mismatches are still refused;
   * matching tensors load, missing/unexpected names are returned as warnings (`loaded` is true).
   */
  loadStateDict(state: ReadonlyMap<string, StTensor>, strict: boolean): (StateDictIssues & { loaded: boolean }) | null;
  dispose(): void;
}

export function describeIssues(issues: StateDictIssues, limit = 10): string {
  const parts: string[] = [];
  const list = (xs: string[]) => xs.slice(0, limit).join(", ") + (xs.length > limit ? `, … (${xs.length} in all)` : "");
  if (issues.missing.length) parts.push(`missing tensors: ${list(issues.missing)}`);
  if (issues.unexpected.length) parts.push(`unexpected tensors: ${list(issues.unexpected)}`);
  if (issues.mismatched.length) parts.push(`shape mismatch: ${list(issues.mismatched.map((m) => `${m.name} (checkpoint [${m.got}], model [${m.expected}])`))}`);
  return parts.join("; ");
}
