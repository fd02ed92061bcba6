// CLIP zero-shot classification (OpenCLIP's zero_shot_classifier, as LAVIS's CLIP uses it for
// multimodal_classification): one text embedding per class, the mean of its normalised prompt embeddings,
// renormalised; each image takes the class of highest cosine similarity. Accuracy as LAVIS's
// MultimodalClassificationTask reports it: a fraction, also agg_metrics.

/** Prompts of one class: every template with "{}" replaced by the class name. */
export function classPrompts(classname: string, templates: readonly string[]): string[] {
  return templates.map((t) => t.split("{}").join(classname));
}

/**
 * Class weights [classes × dim], row-major: `embeddings` holds the L2-normalised embeddings of
 * classPrompts for every class in order (classes × templates rows of `dim`).
 */
export function classWeights(embeddings: Float32Array, classes: number, templates: number, dim: number): Float32Array {
  const out = new Float32Array(classes * dim);
  for (let c = 0; c < classes; c++) {
    const row = out.subarray(c * dim, (c + 1) * dim);
    for (let t = 0; t < templates; t++) {
      const e = embeddings.subarray((c * templates + t) * dim, (c * templates + t + 1) * dim);
      for (let d = 0; d < dim; d++) row[d]! += e[d]! / templates;
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += row[d]! * row[d]!;
    const inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let d = 0; d < dim; d++) row[d]! *= inv;
  }
  return out;
}

/** Index of the largest logit per row (the first one on ties, as torch.argmax). */
export function argmaxRows(logits: ArrayLike<number>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (logits[r * cols + c]! > logits[r * cols + best]!) best = c;
    out.push(best);
  }
  return out;
}

export interface ClassificationRecord {
  readonly instance_id: number | string;
  readonly prediction: number;
  readonly target: number;
}

/** `{agg_metrics, acc}` with acc = mean(prediction == target). */
export function classificationMetrics(records: readonly ClassificationRecord[]): { agg_metrics: number; acc: number } {
  if (!records.length) return { agg_metrics: 0, acc: 0 };
  const acc = records.filter((r) => r.prediction === r.target).length / records.length;
  return { agg_metrics: acc, acc };
}
