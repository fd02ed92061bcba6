// CLIP zero-shot classification (OpenCLIP's zero_shot_classifier, as LAVIS's CLIP uses it for
// multimodal_classification): one text embedding per class, the mean of its normalised prompt embeddings,
// renormalised; each image takes the class of highest cosine similarity (accuracy: classificationMetrics.ts).

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
