// LAVIS MultimodalClassificationTask: the result file (duplicates by instance_id removed, first kept, as
// BaseTask.save_result) and its accuracy as a fraction in [0, 1].
import { requireCompleteEvaluation } from "./completeness.js";

export interface ClassificationRecord {
  readonly instance_id: string;
  readonly prediction: number;
  readonly target: number;
}

/** Drops later records of an instance_id already seen (save_result with remove_duplicate="instance_id"). */
export function dedupeByInstance(records: readonly ClassificationRecord[]): ClassificationRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => (seen.has(r.instance_id) ? false : (seen.add(r.instance_id), true)));
}

/**
 * `{agg_metrics, acc}` with acc = (targets == predictions).sum() / len (NaN for no records, as numpy's 0/0). With the
 * split's instance ids, every instance must have a prediction; every record needs a target class.
 */
export function classificationMetrics(records: readonly ClassificationRecord[], splitInstances?: Iterable<string>, what = "classification"): { agg_metrics: number; acc: number } {
  const isClass = (x: number) => Number.isInteger(x) && x >= 0;
  requireCompleteEvaluation({
    what, unit: "instance", expected: splitInstances ?? records.map((r) => r.instance_id),
    predicted: records.filter((r) => isClass(r.prediction)).map((r) => r.instance_id),
    withoutReference: records.filter((r) => !isClass(r.target)).map((r) => r.instance_id),
  });
  const right = records.reduce((n, r) => n + (r.prediction === r.target ? 1 : 0), 0);
  const acc = records.length ? right / records.length : NaN;
  return { agg_metrics: acc, acc };
}

/** Index of the largest value of each row of a row-major [rows, cols] array; the first one wins ties. */
export function argmaxRows(values: ArrayLike<number>, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r * cols < values.length; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (values[r * cols + c]! > values[r * cols + best]!) best = c;
    out.push(best);
  }
  return out;
}
