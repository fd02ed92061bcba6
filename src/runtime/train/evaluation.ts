// Evaluation of one split as LAVIS's tasks run it: retrieval through the model's evaluateRetrieval (every evaluation
// appended to evaluate.txt), other tasks through the model's own evaluate (result files, task-shaped log lines).
import type { RunSpec } from "../runSpec.js";
import type { Model } from "../models/index.js";
import type { DataFactory } from "./dataFactory.js";
import type { RunLog } from "./runLog.js";
import { UserError } from "./userError.js";

export type Metrics = Record<string, number>;

export class Evaluator {
  /** The last metrics of every evaluated split. */
  readonly metrics: Record<string, Metrics> = {};

  constructor(private readonly spec: RunSpec, private readonly model: Model, private readonly data: DataFactory, private readonly log: RunLog) {}

  /** Metrics of `split` (null when no dataset has it: a warning, as LAVIS skips it). */
  async evaluate(split: string, epoch: number | "best"): Promise<Metrics | null> {
    const { spec, model } = this;
    const ds = spec.datasets.find((d) => d.splits.some((s) => s.split === split));
    if (!ds) {
      this.log.warn(`no dataset has a "${split}" split; skipping its evaluation`);
      return null;
    }
    let metrics: Metrics;
    if (spec.task === "retrieval" && model.evaluateRetrieval) {
      const data = await this.data.retrievalEval(ds, split, { batchSize: spec.batchSizeEval });
      const scored = await model.evaluateRetrieval(data, spec.taskParams);
      metrics = scored.metrics;
      this.log.ranks(split, scored.ranks);
      this.log.evaluation(split, epoch, metrics, metrics); // RetrievalTask._report_metrics appends every evaluation
    } else if (model.evaluate && this.data.evalSplit) {
      const load = this.data.evalSplit.bind(this.data);
      let cached: Awaited<ReturnType<typeof load>> | null = null;
      const get = async () => (cached ??= await load(ds, split, { batchSize: spec.batchSizeEval }));
      const outcome = await model.evaluate({
        task: spec.task, split, epoch, batchSize: spec.batchSizeEval, taskParams: spec.taskParams,
        batches: async () => (await get()).batches,
        extras: async () => (await get()).extras,
        log: (message) => this.log.info(message),
      });
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
