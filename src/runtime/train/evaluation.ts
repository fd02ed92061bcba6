// Evaluation of one split as LAVIS's tasks run it: retrieval through the model's evaluateRetrieval (every evaluation
// appended to evaluate.txt), other tasks through the model's own evaluate (result files, task-shaped log lines).
// With data-parallel replicas (an EvalExchange) evaluation is shared as LAVIS shares it: retrieval's ITM re-ranking
// rows are split across the ranks (compute_sim_matrix), and with run.use_dist_eval_sampler (default true) the other
// tasks evaluate one shard of the split per rank and rank 0 scores the merged results (after_evaluation).
import { releasePooledGpuBuffers } from "../backend/gpuBufferPool.js";
import type { RunSpec } from "../runSpec.js";
import type { Model } from "../models/index.js";
import type { DataFactory } from "./dataFactory.js";
import type { RunLog } from "./runLog.js";
import { UserError } from "./userError.js";
import { emptySplitMessage } from "../data/emptySplit.js";
import { SHARDED_EVAL_TASKS, evalSharing } from "../replicas/evalSharing.js";

export type Metrics = Record<string, number>;

/** The ranks of a data-parallel run as evaluation sees them. */
export interface EvalExchange {
  readonly rank: number;
  readonly world: number;
  /** Every rank's `payload` for evaluation `tag`, in rank order, on rank 0; null on the other ranks. */
  exchange(tag: string, payload: unknown): Promise<unknown[] | null>;
}

/** Rank 0's log, or nothing on a replica (which returns before anything is logged). */
type EvalLog = Pick<RunLog, "warn" | "info" | "ranks" | "evaluation" | "result" | "tensors">;

export class Evaluator {
  /** The last metrics of every evaluated split. */
  readonly metrics: Record<string, Metrics> = {};
  /** Evaluations so far: every rank evaluates the same splits in the same order, so the count tags the exchanges. */
  private count = 0;

  constructor(private readonly spec: RunSpec, private readonly model: Model, private readonly data: DataFactory, private readonly log: EvalLog, private readonly ranks: EvalExchange | null = null) {}

  /** How this run's evaluations are shared among the replicas (for the run's log; null without replicas). */
  describeSharing(): string | null {
    const r = this.ranks;
    return r ? evalSharing(this.spec, r.world) : null;
  }

  /**
   * Metrics of `split` (null when no dataset has it: a warning, as LAVIS skips it; null on ranks other than 0) after
   * (inner) epoch `epoch` (what listeners get), under `name`: what the runner passes to the task's after_evaluation as
   * `epoch`, which names result files (RunSpec.evaluationNames: RunnerIter's "0_iters=10"). The GPU's pooled buffers
   * are given back before (training's) and after (the evaluation's), as the two phases use tensors of other sizes
   * (backend/gpuBufferPool.ts; nothing to do on other backends).
   */
  async evaluate(split: string, epoch: number | "best", name: number | string = epoch): Promise<Metrics | null> {
    releasePooledGpuBuffers();
    try {
      return await this.evaluateSplit(split, epoch, name);
    } finally {
      releasePooledGpuBuffers();
    }
  }

  private async evaluateSplit(split: string, epoch: number | "best", name: number | string): Promise<Metrics | null> {
    const { spec, model, ranks } = this;
    const tag = `${this.count++} ${split}`;
    const rank0 = !ranks || ranks.rank === 0;
    const ds = spec.datasets.find((d) => d.splits.some((s) => s.split === split));
    if (!ds) {
      if (rank0) this.log.warn(`no dataset has a "${split}" split; skipping its evaluation`);
      return null;
    }
    let metrics: Metrics;
    if (spec.task === "retrieval" && model.evaluateRetrieval) {
      const data = await this.data.retrievalEval(ds, split, { batchSize: spec.batchSizeEval });
      const rows = ranks ? { rank: ranks.rank, world: ranks.world, merge: (part: unknown) => ranks.exchange(tag, part) } : undefined;
      if (!data.txt2img.length) throw new UserError(emptySplitMessage(ds.name, split, false));
      const scored = await model.evaluateRetrieval(data, spec.taskParams, rows);
      if (!scored) return null;
      metrics = scored.metrics;
      this.log.ranks(split, scored.ranks);
      this.log.evaluation(split, epoch, metrics, metrics); // RetrievalTask._report_metrics appends every evaluation
    } else if (model.evaluate && this.data.evalSplit) {
      const shard = ranks && spec.useDistEvalSampler !== false && SHARDED_EVAL_TASKS.includes(spec.task) ? ranks : null;
      if (ranks && !shard && !rank0) return null; // rank 0 evaluates the whole split alone
      const load = this.data.evalSplit.bind(this.data);
      const opts = { batchSize: spec.batchSizeEval, ...(shard ? { shard: { rank: shard.rank, world: shard.world } } : {}) };
      let cached: Awaited<ReturnType<typeof load>> | null = null;
      const get = async () => (cached ??= await load(ds, split, opts));
      const outcome = await model.evaluate({
        task: spec.task, split, epoch: name, batchSize: spec.batchSizeEval, taskParams: spec.taskParams,
        ...(spec.vqaScoring ? { vqaScoring: spec.vqaScoring } : {}),
        batches: async () => (await get()).batches,
        extras: async () => (await get()).extras,
        log: (message) => this.log.info(message),
        ...(shard ? { merge: <T>(records: readonly T[]) => mergeShards(shard, tag, records) } : {}),
      });
      if (!outcome) return null;
      if (outcome.result && !outcome.result.records.length) throw new UserError(emptySplitMessage(ds.name, split, false));
      metrics = outcome.metrics;
      if (outcome.result) this.log.result(outcome.result.name, outcome.result.records);
      if (outcome.ranks) this.log.ranks(split, outcome.ranks);
      if (outcome.tensors) this.log.tensors(outcome.tensors.name, outcome.tensors.tensors, outcome.tensors.metadata);
      // Captioning and classification log {"<split>": metrics}; VQA-like tasks log the flat metrics (LAVIS e.2).
      this.log.evaluation(split, epoch, metrics, spec.task === "captioning" || spec.task === "multimodal_classification" ? { [split]: metrics } : metrics);
    } else {
      throw new UserError(`evaluation for task ${spec.task} with ${model.arch} is not supported by the runtime yet`);
    }
    this.metrics[split] = metrics;
    return metrics;
  }
}

/**
 * after_evaluation's merge of the ranks' result records: rank r evaluated the split's records r, r + N, ... (a
 * DistributedSampler without padding, one record per sample), so rank 0 puts them back in the split's order.
 * Null on the other ranks.
 */
async function mergeShards<T>(ranks: EvalExchange, tag: string, records: readonly T[]): Promise<T[] | null> {
  const parts = (await ranks.exchange(tag, records)) as (readonly T[])[] | null;
  if (!parts) return null;
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(parts[i % ranks.world]![Math.floor(i / ranks.world)]!);
  return out;
}
